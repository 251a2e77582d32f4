import { describe, expect, it } from 'vitest';
import {
  accessTo,
  buildTree,
  moveProblem,
  placementProblem,
  ROLES,
  unitsReached,
  type NodeKind,
  type TreeNode,
  type UnitTree
} from './access.ts';

/** Department → 3 prison regions × 3 CARE centres, 2 probation regions × 2 offices, each office with an area group. */
function generatedTree(closed: string[] = []): TreeNode[] {
  const nodes: TreeNode[] = [{ id: 'dept', parentId: null, kind: 'department', closed: false }];
  const add = (id: string, parentId: string, kind: NodeKind) => nodes.push({ id, parentId, kind, closed: closed.includes(id) });
  for (let r = 1; r <= 3; r++) {
    add(`pr${r}`, 'dept', 'prison-region');
    for (let u = 1; u <= 3; u++) add(`pr${r}-care${u}`, `pr${r}`, 'prison-care');
  }
  for (let r = 1; r <= 2; r++) {
    add(`pb${r}`, 'dept', 'probation-region');
    for (let o = 1; o <= 2; o++) {
      add(`pb${r}-office${o}`, `pb${r}`, 'probation-office');
      add(`pb${r}-office${o}-area`, `pb${r}-office${o}`, 'area-group');
    }
  }
  return nodes.map((n) => (closed.includes(n.id) ? { ...n, closed: true } : n));
}

const DATA_KINDS: NodeKind[] = ['prison-care', 'probation-office', 'area-group'];

/** The oracle, written independently: walk up from the unit and look for the placement. */
function expected(nodes: TreeNode[], role: (typeof ROLES)[number], placedAt: string, unitId: string) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const unit = byId.get(unitId)!;
  if (!DATA_KINDS.includes(unit.kind)) return 'none';
  const chain: TreeNode[] = [];
  for (let n: TreeNode | undefined = unit; n; n = n.parentId ? byId.get(n.parentId) : undefined) chain.push(n);
  const reached = role === 'officer' || role === 'volunteer' ? placedAt === unitId : chain.some((n) => n.id === placedAt);
  if (!reached) return 'none';
  const closed = chain.some((n) => n.closed);
  if (role === 'officer') return closed ? 'read' : 'write';
  if (role === 'volunteer') return closed ? 'none' : 'assigned';
  return 'read';
}

describe('access rule over the unit tree ("supervisors see the units under them" — ผู้บังคับบัญชาเห็นหน่วยงานใต้สังกัด)', () => {
  for (const closed of [[], ['pr2'], ['pb1-office2'], ['dept']]) {
    it(`every role × every placement × every unit agrees with the oracle (closed: ${closed.join(',') || 'none'})`, () => {
      const nodes = generatedTree(closed);
      const tree = buildTree(nodes);
      let checked = 0;
      for (const role of ROLES)
        for (const placed of nodes)
          for (const unit of nodes) {
            expect(accessTo(tree, { role, units: [placed.id] }, unit.id), `${role}@${placed.id} → ${unit.id}`).toBe(
              expected(nodes, role, placed.id, unit.id)
            );
            checked++;
          }
      expect(checked).toBe(ROLES.length * nodes.length * nodes.length);
    });
  }

  it('a supervisor of a region reaches a unit created later under it, never one of a sibling region', () => {
    const nodes = generatedTree();
    const before = unitsReached(buildTree(nodes), { role: 'supervisor', units: ['pr1'] });
    expect(before.sort()).toEqual(['pr1-care1', 'pr1-care2', 'pr1-care3']);
    const after = buildTree([...nodes, { id: 'pr1-care9', parentId: 'pr1', kind: 'prison-care', closed: false }]);
    expect(accessTo(after, { role: 'supervisor', units: ['pr1'] }, 'pr1-care9')).toBe('read');
    expect(accessTo(after, { role: 'supervisor', units: ['pr1'] }, 'pr2-care1')).toBe('none');
  });

  it('an officer placed at several units works in each of them and nowhere else', () => {
    const tree = buildTree(generatedTree());
    const officer = { role: 'officer' as const, units: ['pr1-care1', 'pb2-office1'] };
    expect(unitsReached(tree, officer).sort()).toEqual(['pb2-office1', 'pr1-care1']);
    expect(accessTo(tree, officer, 'pb2-office1-area')).toBe('none');
  });

  it('a unit not in the tree, or a placement that names none, reaches nothing', () => {
    const tree = buildTree(generatedTree());
    expect(accessTo(tree, { role: 'supervisor', units: ['nowhere'] }, 'pr1-care1')).toBe('none');
    expect(accessTo(tree, { role: 'admin', units: [] }, 'pr1-care1')).toBe('none');
  });

  it('stored data with a cycle does not loop', () => {
    const tree: UnitTree = buildTree([
      { id: 'a', parentId: 'b', kind: 'prison-region', closed: false },
      { id: 'b', parentId: 'a', kind: 'prison-care', closed: false }
    ]);
    expect(unitsReached(tree, { role: 'supervisor', units: ['a'] })).toEqual(['b']);
  });
});

describe('tree changes ("กลุ่มคุมประพฤติพื้นที่" under a probation office or region)', () => {
  const tree = buildTree(generatedTree());
  it('refuses a move under the node itself or below it', () => {
    expect(moveProblem(tree, 'pb1', 'pb1-office1')).toMatchObject({ field: 'parentId' });
    expect(moveProblem(tree, 'pb1-office1-area', 'pb2')).toBeNull();
  });
  it('refuses a CARE centre under a probation region, with a Thai and English reason', () => {
    const problem = moveProblem(tree, 'pr1-care1', 'pb1');
    expect(problem?.th).toContain('ศูนย์ CARE');
    expect(problem?.en).toContain('probation region');
  });
  it('places officers and volunteers only at data units, and at least one', () => {
    expect(placementProblem(tree, 'officer', ['pr1'])).toMatchObject({ field: 'units' });
    expect(placementProblem(tree, 'volunteer', [])).toMatchObject({ field: 'units' });
    expect(placementProblem(tree, 'supervisor', ['dept'])).toBeNull();
    expect(placementProblem(tree, 'officer', ['missing'])).toMatchObject({ field: 'units' });
  });
});

describe('display order of the tree', () => {
  it('lists each node after its parent, children sorted, with depth', async () => {
    const { depthFirst } = await import('./access.ts');
    const rows = depthFirst(buildTree(generatedTree()));
    expect(rows.length).toBe(generatedTree().length);
    expect(rows.slice(0, 5)).toEqual([
      { id: 'dept', depth: 0 },
      { id: 'pb1', depth: 1 },
      { id: 'pb1-office1', depth: 2 },
      { id: 'pb1-office1-area', depth: 3 },
      { id: 'pb1-office2', depth: 2 }
    ]);
  });
});
