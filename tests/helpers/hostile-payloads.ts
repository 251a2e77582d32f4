/**
 * A table of malformed and hostile replication requests, generated from a few lists so that
 * every kind of bad value meets every endpoint it could reach. Each case says what a correct
 * server answers: a 4xx with `{error, reason}`, or (for a well-formed `_bulk_docs` carrying bad
 * documents) 201 with a per-document refusal for every document.
 */
import { makePerson } from './server.ts';

export type Expectation = 'client-error' | 'refused-per-doc';

export interface HostileCase {
  name: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Below /sync/<unit>/, e.g. `_bulk_docs` or `_local/x`; may carry a query string. */
  path: string;
  /** Sent as it is: raw text or bytes, so invalid JSON and bad encodings reach the server. */
  body?: string | Buffer;
  contentType?: string | null;
  expect: Expectation;
  /** Another unit's URL instead of the signed-in officer's. */
  unit?: 'other' | 'unknown';
}

const MB = 1024 * 1024;

/** `{"a":{"a":…}}` nested `depth` times around `inner`, built as text (no recursion here). */
function nestedObjectText(depth: number, inner = '1'): string {
  return '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
}
function nestedArrayText(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** Documents that must each be refused inside an otherwise valid _bulk_docs request. */
function badDocuments(unitId: string, otherUnitId: string): Array<{ name: string; json: string }> {
  const person = () => makePerson(unitId);
  const withPlaceholder = (field: string) => ({
    ...(person() as unknown as Record<string, unknown>),
    [field]: '\u0000PLACEHOLDER'
  });
  /** A valid person with one field's JSON replaced by raw text (for values JS cannot build). */
  const rawField = (field: string, valueJson: string) =>
    JSON.stringify(withPlaceholder(field)).replace('"\\u0000PLACEHOLDER"', () => valueJson);
  const docs: Array<{ name: string; json: string }> = [];
  // Not objects at all.
  for (const v of ['null', '1', '"person"', 'true', '[]', '[{}]', '{}']) docs.push({ name: `document ${v}`, json: v });
  // Ids of every wrong type and the reserved prefixes.
  for (const id of [
    '123',
    'null',
    '{}',
    '[]',
    'true',
    '""',
    '"_design/x"',
    '"_local/x"',
    '"_foo"',
    '"person:\\u0000x"',
    `"${'p'.repeat(10_000)}"`
  ])
    docs.push({ name: `_id ${id.slice(0, 20)}`, json: rawField('_id', id) });
  // Wrong types in every kind of field.
  const wrongTypes: Array<[string, string[]]> = [
    ['type', ['null', '1', '"unknown"', '"_design"', '{}', '["person"]']],
    ['unitId', ['null', '1', `"${otherUnitId}"`, '"../system"', '""', '["x"]']],
    ['schemaVersion', ['"1"', '-1', '1.5', 'null', '1e309']],
    ['firstName', ['1', 'null', 'true', '{}', '[]', `"${'ก'.repeat(5_000)}"`]],
    ['dateOfBirth', ['"not-a-date"', '"2569-13-45"', '0', 'null']],
    ['createdAt', ['"yesterday"', '0', '{}']],
    ['nationalId', ['"3101200000420"', '{"status":"number","number":"123"}', '{"status":"number","number":{"$gt":""}}', 'null']],
    ['sex', ['"x"', '0']]
  ];
  for (const [field, values] of wrongTypes)
    for (const v of values) docs.push({ name: `${field} = ${v.slice(0, 24)}`, json: rawField(field, v) });
  // Fields only the store may set, and deletions.
  const p = () => person() as unknown as Record<string, unknown>;
  const specials: Array<[string, unknown]> = [
    ['_deleted', true],
    ['_attachments', { 'x.txt': { content_type: 'text/plain', data: 'aGVsbG8=' } }],
    ['_conflicts', ['1-abc']],
    ['_deleted_conflicts', ['1-abc']],
    ['_revs_info', []],
    ['_unknown', 1],
    ['extraField', 'not in the schema']
  ];
  for (const [field, value] of specials)
    docs.push({ name: `special ${field}`, json: JSON.stringify({ ...p(), [field]: value }) });
  // Prototype-pollution keys, as JSON text (a JS literal would set the prototype instead).
  const pollution = [
    '"__proto__":{"polluted":true}',
    '"constructor":{"prototype":{"polluted":true}}',
    '"prototype":{"polluted":true}'
  ];
  for (const key of pollution) {
    docs.push({ name: `top-level ${key.slice(0, 28)}`, json: JSON.stringify(p()).replace(/^\{/, `{${key},`) });
    docs.push({ name: `nested ${key.slice(0, 28)}`, json: rawField('nationalId', `{"status":"unknown",${key}}`) });
  }
  // Huge and deep.
  docs.push({ name: 'document over 1 MB', json: JSON.stringify({ ...p(), notes: 'x'.repeat(1.1 * MB) }) });
  docs.push({ name: 'field nested 10,000 levels', json: rawField('address', nestedObjectText(10_000)) });
  docs.push({ name: 'array nested 10,000 levels', json: rawField('skills', nestedArrayText(10_000)) });
  docs.push({ name: 'document nested 10,000 levels', json: nestedObjectText(10_000) });
  docs.push({
    name: '100,000 fields',
    json: JSON.stringify(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`f${i}`, i])))
  });
  return docs;
}

/** Replicated revisions (new_edits=false) whose history is forged or inconsistent. */
function forgedRevisions(unitId: string): Array<{ name: string; json: string }> {
  const p = () => makePerson(unitId) as unknown as Record<string, unknown>;
  const h = (c: string) => c.repeat(32);
  const cases: Array<[string, Record<string, unknown>]> = [
    ['no _rev', {}],
    ['_rev not a string', { _rev: 5 }],
    ['_rev without generation', { _rev: 'abc' }],
    ['_rev generation 0', { _rev: `0-${h('a')}` }],
    ['_rev negative generation', { _rev: `-1-${h('a')}` }],
    ['_rev with null byte', { _rev: `1-${h('a')}\u0000` }],
    ['_revisions start differs from _rev', { _rev: `2-${h('a')}`, _revisions: { start: 3, ids: [h('a'), h('b')] } }],
    ['_revisions head differs from _rev', { _rev: `2-${h('a')}`, _revisions: { start: 2, ids: [h('c'), h('b')] } }],
    ['_revisions longer than its generation', { _rev: `1-${h('a')}`, _revisions: { start: 1, ids: [h('a'), h('b'), h('c')] } }],
    ['_revisions ids not a list', { _rev: `1-${h('a')}`, _revisions: { start: 1, ids: h('a') } }],
    ['_revisions ids empty', { _rev: `1-${h('a')}`, _revisions: { start: 1, ids: [] } }],
    ['_revisions ids of numbers', { _rev: `1-${h('a')}`, _revisions: { start: 1, ids: [1] } }],
    ['_revisions start a string', { _rev: `1-${h('a')}`, _revisions: { start: '1', ids: [h('a')] } }],
    ['_revisions null', { _rev: `1-${h('a')}`, _revisions: null }],
    ['_revisions a string', { _rev: `1-${h('a')}`, _revisions: '1-a' }],
    [
      '_revisions with 100,000 ids',
      { _rev: `100000-${h('a')}`, _revisions: { start: 100_000, ids: Array.from({ length: 100_000 }, () => h('a')) } }
    ],
    ['_revisions ids with a non-hex id', { _rev: `2-${h('a')}`, _revisions: { start: 2, ids: [h('a'), '../../x'] } }]
  ];
  return cases.map(([name, fields]) => ({ name: `forged: ${name}`, json: JSON.stringify({ ...p(), ...fields }) }));
}

/** Bodies that are not JSON, or not the JSON an endpoint takes. */
const INVALID_JSON = [
  '',
  '{',
  '{"docs":[',
  '{"docs":[]}garbage',
  "{'docs':[]}",
  '{"docs":[NaN]}',
  '{"docs":[undefined]}',
  '\u0000',
  '{"docs":[]}\u0000',
  '\ufeff{"docs":[]}'.replace(/^/, '\u0000')
];
const INVALID_UTF8 = [Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), Buffer.from([0xc3, 0x28])];
const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  null
];

export function hostileCases(unitId: string, otherUnitId: string): HostileCase[] {
  const cases: HostileCase[] = [];
  const json = 'application/json';

  // 1. Bad documents inside well-formed _bulk_docs, as new edits and as replicated revisions.
  for (const doc of badDocuments(unitId, otherUnitId)) {
    for (const newEdits of [true, false]) {
      const docJson = newEdits ? doc.json : withRevision(doc.json);
      cases.push({
        name: `_bulk_docs new_edits=${newEdits}: ${doc.name}`,
        method: 'POST',
        path: '_bulk_docs',
        body: `{"docs":[${docJson}],"new_edits":${newEdits}}`,
        contentType: json,
        expect: 'refused-per-doc'
      });
    }
  }
  for (const doc of forgedRevisions(unitId))
    cases.push({
      name: `_bulk_docs ${doc.name}`,
      method: 'POST',
      path: '_bulk_docs',
      body: `{"docs":[${doc.json}],"new_edits":false}`,
      contentType: json,
      expect: 'refused-per-doc'
    });
  // A whole batch of bad ones together.
  cases.push({
    name: '_bulk_docs: 50 bad documents in one batch',
    method: 'POST',
    path: '_bulk_docs',
    body: `{"docs":[${badDocuments(unitId, otherUnitId)
      .slice(0, 50)
      .map((d) => d.json)
      .join(',')}]}`,
    contentType: json,
    expect: 'refused-per-doc'
  });

  // 2. The _bulk_docs request itself malformed.
  const bulkBodies = [
    '[]',
    '"docs"',
    '1',
    'null',
    '{}',
    '{"docs":{}}',
    '{"docs":"x"}',
    '{"docs":null}',
    '{"docs":[],"new_edits":"false"}',
    '{"docs":[],"new_edits":0}',
    '{"__proto__":{"docs":[]}}',
    '{"docs":[],"constructor":{"prototype":{"x":1}}}',
    nestedArrayText(10_000),
    nestedObjectText(10_000),
    nestedArrayText(1_000_000)
  ];
  for (const body of bulkBodies)
    cases.push({
      name: `_bulk_docs body ${body.slice(0, 30)}`,
      method: 'POST',
      path: '_bulk_docs',
      body,
      contentType: json,
      expect: 'client-error'
    });

  // 3. Invalid JSON, bad encodings, wrong content types and oversize bodies on every endpoint with a body.
  const bodyEndpoints: Array<{ method: HostileCase['method']; path: string; valid: string }> = [
    { method: 'POST', path: '_bulk_docs', valid: '{"docs":[]}' },
    { method: 'POST', path: '_revs_diff', valid: '{}' },
    { method: 'POST', path: '_bulk_get', valid: '{"docs":[]}' },
    { method: 'PUT', path: '_local/hostile', valid: '{"x":1}' },
    { method: 'PUT', path: 'person:hostile', valid: '{}' },
    { method: 'POST', path: '_changes?filter=_doc_ids', valid: '{"doc_ids":[]}' }
  ];
  for (const endpoint of bodyEndpoints) {
    const at = `${endpoint.method} ${endpoint.path}`;
    for (const body of INVALID_JSON)
      cases.push({
        name: `${at} invalid JSON ${JSON.stringify(body.slice(0, 16))}`,
        ...endpoint,
        body,
        contentType: json,
        expect: 'client-error'
      });
    for (const body of INVALID_UTF8)
      cases.push({
        name: `${at} invalid UTF-8 ${body.toString('hex')}`,
        ...endpoint,
        body,
        contentType: json,
        expect: 'client-error'
      });
    for (const type of WRONG_CONTENT_TYPES)
      cases.push({
        name: `${at} content type ${type}`,
        ...endpoint,
        body: endpoint.valid,
        contentType: type,
        expect: 'client-error'
      });
    cases.push({
      name: `${at} oversize body (21 MB)`,
      ...endpoint,
      body: `{"x":"${'x'.repeat(21 * MB)}"}`,
      contentType: json,
      expect: 'client-error'
    });
    // The same request on a unit that is not the officer's, and on one that does not exist.
    cases.push({
      name: `${at} on another unit`,
      ...endpoint,
      body: endpoint.valid,
      contentType: json,
      expect: 'client-error',
      unit: 'other'
    });
    cases.push({
      name: `${at} on an unknown unit`,
      ...endpoint,
      body: endpoint.valid,
      contentType: json,
      expect: 'client-error',
      unit: 'unknown'
    });
  }

  // 4. _revs_diff and _bulk_get bodies of the wrong shape.
  const revsDiffBodies = [
    '[]',
    '"x"',
    'null',
    '{"a":"1-x"}',
    '{"a":[1]}',
    '{"a":[null]}',
    '{"a":[["1-x"]]}',
    '{"a":{"missing":[]}}',
    '{"__proto__":["1-x"]}',
    `{"a":${nestedArrayText(10_000)}}`
  ];
  for (const body of revsDiffBodies)
    cases.push({
      name: `_revs_diff body ${body.slice(0, 30)}`,
      method: 'POST',
      path: '_revs_diff',
      body,
      contentType: json,
      expect: 'client-error'
    });
  const bulkGetBodies = [
    '[]',
    '{}',
    '{"docs":{}}',
    '{"docs":[1]}',
    '{"docs":[null]}',
    '{"docs":[{}]}',
    '{"docs":[{"id":1}]}',
    '{"docs":[{"id":"a","rev":1}]}',
    '{"docs":[{"id":null}]}',
    '{"docs":[{"id":["a"]}]}',
    '{"__proto__":{"docs":[]}}'
  ];
  for (const body of bulkGetBodies)
    cases.push({
      name: `_bulk_get body ${body.slice(0, 30)}`,
      method: 'POST',
      path: '_bulk_get',
      body,
      contentType: json,
      expect: 'client-error'
    });

  // 5. _local checkpoints: not objects, too big, pollution.
  const localBodies = [
    '[]',
    '"x"',
    '1',
    'null',
    '{"__proto__":{"x":1}}',
    `{"x":"${'x'.repeat(70 * 1024)}"}`,
    nestedArrayText(1_000_000),
    `{"x":${nestedArrayText(30_000)}}`
  ];
  for (const body of localBodies)
    cases.push({
      name: `PUT _local body ${body.slice(0, 30)}`,
      method: 'PUT',
      path: '_local/hostile',
      body,
      contentType: json,
      expect: 'client-error'
    });

  // 6. Single-document PUT: every bad document of the table refused as a whole request.
  // At the document's own id where it has a usable one, so the document itself is what is refused.
  for (const doc of badDocuments(unitId, otherUnitId).slice(7)) {
    const id = idOf(doc.json);
    const path = id && id.length < 200 ? encodeURIComponent(id) : `person:hostile-${cases.length}`;
    cases.push({ name: `PUT doc: ${doc.name}`, method: 'PUT', path, body: doc.json, contentType: json, expect: 'client-error' });
  }
  for (const id of ['_design%2Fx', '_local_x', '_all_docs', '_design/x', '_security', 'person%00x'])
    cases.push({
      name: `PUT doc at ${id}`,
      method: 'PUT',
      path: id,
      body: JSON.stringify(makePerson(unitId)),
      contentType: json,
      expect: 'client-error'
    });

  // 7. _changes with bad parameters and bodies.
  const changesQueries = [
    'feed=continuous',
    'feed=eventsource',
    'feed=longpoll&timeout=-1',
    'limit=-1',
    'limit=abc',
    'limit=1e3',
    'timeout=abc',
    'filter=_view',
    'filter=ddoc/f',
    'filter=_doc_ids',
    'filter=_doc_ids&doc_ids=notjson',
    'filter=_doc_ids&doc_ids=[1,2]'
  ];
  for (const q of changesQueries)
    cases.push({ name: `GET _changes?${q}`, method: 'GET', path: `_changes?${q}`, expect: 'client-error' });
  const changesBodies = ['{"doc_ids":"x"}', '{"doc_ids":[1]}', '{"doc_ids":null}', '{"doc_ids":{}}', '[]', '{"doc_ids":[["a"]]}'];
  for (const body of changesBodies)
    cases.push({
      name: `POST _changes body ${body}`,
      method: 'POST',
      path: '_changes?filter=_doc_ids',
      body,
      contentType: json,
      expect: 'client-error'
    });

  // 8. Deleting, and endpoints not offered.
  for (const path of ['person:x?rev=1-a', '', '_all_docs', '_design/x', '_find', '_compact', '_purge', '_security'])
    for (const method of ['DELETE', 'POST'] as const)
      cases.push({ name: `${method} /${path}`, method, path, body: '{}', contentType: json, expect: 'client-error' });
  return cases;
}

function idOf(json: string): string | null {
  try {
    const id = (JSON.parse(json) as { _id?: unknown } | null)?._id;
    return typeof id === 'string' && id !== '' ? id : null;
  } catch {
    return null;
  }
}

/** A replicated revision for a document given as JSON text (objects only; others stay as they are). */
function withRevision(json: string): string {
  if (!json.startsWith('{') || json === '{}') return json;
  const hash = 'a'.repeat(32);
  return `{"_rev":"1-${hash}","_revisions":{"start":1,"ids":["${hash}"]},${json.slice(1)}`;
}
