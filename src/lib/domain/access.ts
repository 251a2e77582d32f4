/**
 * Roles, the organisation tree and the one access rule: which units' case data an account
 * reaches and what it may do there. Pure functions over a snapshot of the tree, used by the
 * server (sync-server/scope.ts asks them on every request) and by the admin screens.
 *
 * The tree (docs/domain/people-and-roles.md, "Organisations"): the Department at the root; prison regions
 * and probation regions under it; under a region the units that hold case data: a prison's
 * CARE centre, a probation office, an area group (กลุ่มคุมประพฤติพื้นที่, also placed under its
 * probation office).
 */

export const ROLES = ['officer', 'volunteer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const NODE_KINDS = [
  'department',
  'prison-region',
  'probation-region',
  'prison-care',
  'probation-office',
  'area-group'
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** The kinds that hold case data (a database of records each). */
export const UNIT_KINDS = ['prison-care', 'probation-office', 'area-group'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const isDataUnitKind = (kind: NodeKind): kind is UnitKind => (UNIT_KINDS as readonly string[]).includes(kind);

/** Where each kind may hang; null: at the top. A unit made before the tree existed stays at the top. */
export const PARENT_KINDS: Record<NodeKind, ReadonlyArray<NodeKind | null>> = {
  department: [null],
  'prison-region': ['department'],
  'probation-region': ['department'],
  'prison-care': ['prison-region', null],
  'probation-office': ['probation-region', null],
  'area-group': ['probation-region', 'probation-office', null]
};

export const NODE_KIND_LABELS: Record<NodeKind, { th: string; en: string }> = {
  department: { th: 'กรม', en: 'Department' },
  'prison-region': { th: 'เขตเรือนจำ', en: 'Prison region' },
  'probation-region': { th: 'ภาคคุมประพฤติ', en: 'Probation region' },
  'prison-care': { th: 'ศูนย์ CARE เรือนจำ', en: 'Prison CARE centre' },
  'probation-office': { th: 'สำนักงานคุมประพฤติ', en: 'Probation office' },
  'area-group': { th: 'กลุ่มคุมประพฤติพื้นที่', en: 'Area group' }
};

export interface TreeNode {
  id: string;
  parentId: string | null;
  kind: NodeKind;
  /** A closed unit keeps its data and history, read-only. Closing a region closes what is below. */
  closed: boolean;
}

/** The nodes by id, and each node's children: built once per snapshot of the tree. */
export interface UnitTree {
  nodes: ReadonlyMap<string, TreeNode>;
  children: ReadonlyMap<string, readonly string[]>;
}

export function buildTree(nodes: Iterable<TreeNode>): UnitTree {
  const byId = new Map<string, TreeNode>();
  const children = new Map<string, string[]>();
  for (const node of nodes) byId.set(node.id, node);
  for (const node of byId.values()) {
    if (node.parentId === null || !byId.has(node.parentId)) continue;
    const list = children.get(node.parentId) ?? [];
    list.push(node.id);
    children.set(node.parentId, list);
  }
  return { nodes: byId, children };
}

/** The node and every node below it (iterative; a cycle in stored data cannot loop). */
export function subtree(tree: UnitTree, nodeId: string): string[] {
  if (!tree.nodes.has(nodeId)) return [];
  const seen = new Set<string>([nodeId]);
  const stack = [nodeId];
  while (stack.length > 0) {
    for (const child of tree.children.get(stack.pop()!) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      stack.push(child);
    }
  }
  return [...seen];
}

/** The node's ancestors, nearest first. */
export function ancestors(tree: UnitTree, nodeId: string): string[] {
  const out: string[] = [];
  let current = tree.nodes.get(nodeId)?.parentId ?? null;
  while (current !== null && tree.nodes.has(current) && !out.includes(current) && current !== nodeId) {
    out.push(current);
    current = tree.nodes.get(current)!.parentId;
  }
  return out;
}

/** Closed itself or below a closed node. */
export function isClosed(tree: UnitTree, nodeId: string): boolean {
  const node = tree.nodes.get(nodeId);
  if (!node) return false;
  return node.closed || ancestors(tree, nodeId).some((id) => tree.nodes.get(id)!.closed);
}

export interface Placement {
  role: Role;
  /** Where the account is placed: data units for officers and volunteers, any node otherwise. */
  units: readonly string[];
}

/**
 * The data units a placement reaches. Supervisors and administrators placed at a node reach
 * every data unit below it, so a unit created later under their region is theirs at once;
 * officers and volunteers work in exactly the units on the account.
 */
export function unitsReached(tree: UnitTree, placement: Placement): string[] {
  const reached = new Set<string>();
  for (const placed of placement.units) {
    const ids = placement.role === 'supervisor' || placement.role === 'admin' ? subtree(tree, placed) : [placed];
    for (const id of ids) {
      const node = tree.nodes.get(id);
      if (node && isDataUnitKind(node.kind)) reached.add(id);
    }
  }
  return [...reached];
}

/**
 * What an account may do with one unit's data:
 * - officer: read and write their units ('write');
 * - volunteer: 'assigned': only the people assigned to them (sync/volunteer-scope.ts on the server);
 * - supervisor: read what is below their placement, never write records;
 * - admin: manages the tree and accounts; reads unit data only where placed, read-only, because
 *   case records are written by the officers who meet the people.
 * A closed unit is read-only for everyone who reaches it; a volunteer has nothing to read there
 * (their work is recording new visits), so it is 'none' for them.
 */
export type UnitAccess = 'write' | 'assigned' | 'read' | 'none';

export function accessTo(tree: UnitTree, placement: Placement, unitId: string): UnitAccess {
  if (!unitsReached(tree, placement).includes(unitId)) return 'none';
  const closed = isClosed(tree, unitId);
  switch (placement.role) {
    case 'officer':
      return closed ? 'read' : 'write';
    case 'volunteer':
      return closed ? 'none' : 'assigned';
    default:
      return 'read';
  }
}

export type TreeProblem = { field: string; th: string; en: string };

/** Whether `kind` may hang under `parentId` (null: at the top), in Thai and English when not. */
export function parentProblem(tree: UnitTree, kind: NodeKind, parentId: string | null): TreeProblem | null {
  const parentKind = parentId === null ? null : (tree.nodes.get(parentId)?.kind ?? undefined);
  if (parentKind === undefined) return { field: 'parentId', th: 'ไม่พบหน่วยงานแม่', en: 'the parent unit does not exist' };
  if (!PARENT_KINDS[kind].includes(parentKind)) {
    const under = parentKind === null ? { th: 'ระดับบนสุด', en: 'the top level' } : NODE_KIND_LABELS[parentKind];
    return {
      field: 'parentId',
      th: `${NODE_KIND_LABELS[kind].th} อยู่ใต้${under.th}ไม่ได้`,
      en: `a ${NODE_KIND_LABELS[kind].en.toLowerCase()} cannot be placed under ${parentKind === null ? under.en : `a ${under.en.toLowerCase()}`}`
    };
  }
  return null;
}

/** Moving `nodeId` under `newParentId`: the kind rule, and never under itself or its own subtree. */
export function moveProblem(tree: UnitTree, nodeId: string, newParentId: string | null): TreeProblem | null {
  const node = tree.nodes.get(nodeId);
  if (!node) return { field: 'unitId', th: 'ไม่พบหน่วยงาน', en: 'the unit does not exist' };
  if (newParentId !== null && subtree(tree, nodeId).includes(newParentId))
    return { field: 'parentId', th: 'ย้ายหน่วยงานไปไว้ใต้ตัวเองไม่ได้', en: 'a unit cannot be moved under itself' };
  return parentProblem(tree, node.kind, newParentId);
}

/** Whether an account of `role` may be placed at these nodes. */
export function placementProblem(tree: UnitTree, role: Role, units: readonly string[]): TreeProblem | null {
  for (const id of units) {
    const node = tree.nodes.get(id);
    if (!node) return { field: 'units', th: `ไม่พบหน่วยงาน ${id}`, en: `unit ${id} does not exist` };
    if ((role === 'officer' || role === 'volunteer') && !isDataUnitKind(node.kind))
      return {
        field: 'units',
        th: 'เจ้าหน้าที่และอาสาสมัครต้องสังกัดหน่วยงานที่มีข้อมูล (ศูนย์ CARE สำนักงาน หรือกลุ่มพื้นที่)',
        en: 'officers and volunteers are placed at units that hold case data (a CARE centre, an office or an area group)'
      };
  }
  if ((role === 'officer' || role === 'volunteer') && units.length === 0)
    return { field: 'units', th: 'ต้องระบุหน่วยงานอย่างน้อยหนึ่งแห่ง', en: 'choose at least one unit' };
  return null;
}

/** The nodes in display order: each parent followed by its children, with their depth. */
export function depthFirst(
  tree: UnitTree,
  order: (a: string, b: string) => number = (a, b) => a.localeCompare(b)
): Array<{ id: string; depth: number }> {
  const roots = [...tree.nodes.values()].filter((n) => n.parentId === null || !tree.nodes.has(n.parentId)).map((n) => n.id);
  const out: Array<{ id: string; depth: number }> = [];
  const seen = new Set<string>();
  const stack = roots
    .sort(order)
    .reverse()
    .map((id) => ({ id, depth: 0 }));
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
    const children = [...(tree.children.get(item.id) ?? [])].sort(order).reverse();
    for (const child of children) stack.push({ id: child, depth: item.depth + 1 });
  }
  return out;
}
