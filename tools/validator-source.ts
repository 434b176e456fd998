/**
 * Turns an arktype object type into the TypeScript source of a standalone check that reports what arktype
 * reports for the same data: the same issues (code, path, expected) in the same order. It reads the nodes
 * arktype builds from the declaration and writes the checks its JIT compiler would run (arktype's
 * `@ark/schema` compile methods of the intersection, structure, prop, union, domain, unit and length nodes),
 * without arktype's traversal context. Only what the contract uses is supported; anything else throws, naming
 * the node, so that a new kind of field fails the generation instead of being checked differently.
 */
import type { Type } from 'arktype';

/** What the generated module is called and imports. */
export interface ValidatorNames {
  /** The exported check: `(data: unknown, issues: SchemaIssue[]) => data is <typeName>`. */
  readonly functionName: string;
  readonly typeName: string;
  /** The module exporting `typeName` and `SchemaIssue`, as the generated file imports it. */
  readonly typesFrom: string;
  /** The comment at the top of the file: what it is generated from and by what. */
  readonly header: string;
}

type Node = Type['internal'];
type Domain = 'object' | 'string' | 'number' | 'boolean' | 'bigint' | 'symbol' | 'null' | 'undefined';

/** A failing condition on `v` and the issue it reports. */
interface Check {
  readonly fails: string;
  readonly code: string;
  readonly expected: string;
}

/** The source of a module exporting the check of `type` (a top-level object, as the event contract is). */
export function validatorSource(type: Type, names: ValidatorNames): string {
  const root = type.internal;
  if (!root.hasKind('intersection') || root.basis?.hasKind('domain') !== true || root.basis.domain !== 'object') {
    throw unsupported(root, 'the root must be an object type');
  }
  if (root.prestructurals.length > 0 || root.inner.predicate || !root.structure)
    throw unsupported(root, 'only declared keys are supported');
  const structure = root.structure;
  if (structure.index || structure.sequence) throw unsupported(structure, 'index signatures and tuples are not supported');
  if (structure.undeclared === 'delete') throw unsupported(structure, "'+': 'delete' changes the data; use 'reject' or 'ignore'");

  const body: string[] = [];
  body.push(
    `if (${failsDomain('data', 'object')}) {`,
    push('[]', { code: 'domain', expected: root.basis.description }),
    'return false;',
    '}',
    'const before = issues.length;',
  );
  for (const prop of structure.props) {
    if (typeof prop.key !== 'string') throw unsupported(prop, 'symbol keys are not supported');
    const key = JSON.stringify(prop.key);
    const path = `[${key}]`;
    body.push(`if (${key} in data) {`, `const v: unknown = data[${key}];`, ...valueChecks(prop.value, path));
    if (prop.hasKind('required')) {
      body.push('} else {', push(path, { code: 'required', expected: prop.errorContext.missingValueDescription }));
    }
    body.push('}');
  }
  const declared = structure.props.map((p) => JSON.stringify(p.key));
  let declaredSet = '';
  if (structure.undeclared === 'reject') {
    // arktype reports each undeclared own key, symbols after strings, as a "predicate" expecting "removed".
    declaredSet = `const DECLARED: ReadonlySet<PropertyKey> = new Set([${declared.join(', ')}]);`;
    body.push(
      'for (const key of Object.keys(data)) {',
      `if (!DECLARED.has(key)) ${push('[key]', { code: 'predicate', expected: 'removed' })}`,
      '}',
      `for (const key of Object.getOwnPropertySymbols(data)) ${push('[key]', { code: 'predicate', expected: 'removed' })}`,
    );
  }
  body.push('return issues.length === before;');

  return [
    names.header,
    `import type { ${names.typeName}, SchemaIssue } from '${names.typesFrom}';`,
    '',
    declaredSet,
    '',
    `/** Appends what arktype reports for \`data\` to \`issues\`, in arktype's order; true when it reports nothing. */`,
    `export function ${names.functionName}(data: unknown, issues: SchemaIssue[]): data is ${names.typeName} {`,
    ...body,
    '}',
    '',
  ].join('\n');
}

/** The statements checking the value `v` of a prop at `path`. */
function valueChecks(node: Node, path: string): string[] {
  if (node.hasKind('union')) return unionChecks(node, path);
  return nodeChecks(node, path, undefined);
}

/**
 * A node checked after its domain may already be known (a union's case): the checks it adds, run as arktype
 * runs an intersection's: the basis first, its refinements only when the basis held, all of them reported.
 */
function nodeChecks(node: Node, path: string, known: Domain | undefined): string[] {
  if (node.hasKind('domain') || node.hasKind('unit')) {
    const check = basisCheck(node, known);
    return check ? [`if (${check.fails}) ${push(path, check)}`] : [];
  }
  if (!node.hasKind('intersection')) throw unsupported(node, 'only unions, intersections, domains and literal values are supported');
  if (node.structure || node.inner.predicate) throw unsupported(node, 'nested objects and predicates are not supported');
  const refinements: Check[] = node.prestructurals.map((c) => {
    if (c.hasKind('maxLength')) return { fails: `v.length > ${c.rule}`, code: c.kind, expected: c.description };
    if (c.hasKind('minLength')) return { fails: `v.length < ${c.rule}`, code: c.kind, expected: c.description };
    throw unsupported(c, 'only minLength and maxLength bounds are supported');
  });
  if (refinements.length > 0 && (node.basis?.hasKind('domain') !== true || node.basis.domain !== 'string') && known !== 'string') {
    throw unsupported(node, 'length bounds are supported on strings only');
  }
  const lines = refinements.map((r) => `if (${r.fails}) ${push(path, r)}`);
  const basis = node.basis ? basisCheck(node.basis, known) : undefined;
  if (!basis) return lines;
  return lines.length ? [`if (${basis.fails}) ${push(path, basis)} else {`, ...lines, '}'] : [`if (${basis.fails}) ${push(path, basis)}`];
}

/** The check of a domain or literal value, or none when a union's case already established it. */
function basisCheck(node: Node, known: Domain | undefined): Check | undefined {
  if (node.hasKind('domain')) {
    const domain = node.domain as Domain;
    // arktype's number excludes NaN, even in a case its discriminant chose by typeof.
    if (known === domain) return domain === 'number' ? { fails: 'Number.isNaN(v)', code: 'domain', expected: node.description } : undefined;
    return { fails: failsDomain('v', domain), code: 'domain', expected: node.description };
  }
  if (node.hasKind('unit')) {
    if (node.unit === null && known === 'null') return undefined;
    return { fails: `v !== ${literal(node.unit, node)}`, code: 'unit', expected: node.description };
  }
  throw unsupported(node, 'only domains and literal values are supported as a basis');
}

/** A union, checked as arktype's compiled discriminated union: one case by typeof or by value, else one issue. */
function unionChecks(node: Node, path: string): string[] {
  if (!node.hasKind('union')) throw unsupported(node, 'expected a union');
  const d = node.discriminant;
  const units = node.branches.every((b) => b.hasKind('unit'));
  // arktype checks a union without a discriminant (or of two literals, like boolean) branch by branch, with
  // "union" issues that nest each branch's: not generated here.
  if (!d || d.path.length > 0 || (units && node.branches.length === 2)) throw unsupported(node, 'only discriminated unions are supported');
  const cases = Object.entries(d.cases);
  if (cases.length !== node.branches.length) throw unsupported(node, 'each case must be one branch');
  const mismatch = push(path, { code: 'predicate', expected: node.defaultShortDescription });
  // Cases with checks of their own come first; the cases that accept whatever reaches them are merged.
  const checked: Array<[string, string[]]> = [];
  const accepted: string[] = [];
  for (const [key, c] of cases) {
    const value = d.kind === 'unit' ? literal(parseCase(key, node), node) : (JSON.parse(key) as Domain);
    const known = d.kind === 'domain' ? (value as Domain) : undefined;
    const checks = c === true ? [] : nodeChecks(c, path, known);
    if (checks.length) checked.push([value, checks]);
    else accepted.push(value);
  }
  if (d.kind === 'unit') {
    const lines = ['switch (v) {'];
    for (const [value, checks] of checked) lines.push(`case ${value}:`, ...checks, 'break;');
    if (accepted.length) lines.push(...accepted.map((value) => `case ${value}:`), 'break;');
    return [...lines, 'default:', mismatch, '}'];
  }
  const lines = checked.flatMap(([domain, checks], i) => [`${i ? '} else ' : ''}if (${isDomain('v', domain as Domain)}) {`, ...checks]);
  if (!accepted.length) return [...lines, '} else {', mismatch, '}'];
  const others =
    accepted.length === 1 ? isNotDomain('v', accepted[0] as Domain) : `!(${accepted.map((a) => isDomain('v', a as Domain)).join(' || ')})`;
  return [...lines, `${lines.length ? '} else ' : ''}if (${others}) {`, mismatch, '}'];
}

/** A condition true when `v` is not of `domain`, as arktype's domain node tests it (number excludes NaN). */
function failsDomain(v: string, domain: Domain): string {
  switch (domain) {
    case 'object':
      return `(typeof ${v} !== 'object' || ${v} === null) && typeof ${v} !== 'function'`;
    case 'null':
      return `${v} !== null`;
    case 'undefined':
      return `${v} !== undefined`;
    case 'number':
      return `typeof ${v} !== 'number' || Number.isNaN(${v})`;
    default:
      return `typeof ${v} !== '${domain}'`;
  }
}

/** The negation of {@link isDomain}. */
function isNotDomain(v: string, domain: Domain): string {
  return domain === 'number' ? `typeof ${v} !== 'number'` : failsDomain(v, domain);
}

/**
 * A condition true when a discriminated union takes the case of `domain`: by typeof alone (NaN is a number
 * here; the case's own number node refuses it), with null apart and functions counted as objects.
 */
function isDomain(v: string, domain: Domain): string {
  switch (domain) {
    case 'object':
      return `(typeof ${v} === 'object' && ${v} !== null) || typeof ${v} === 'function'`;
    case 'null':
      return `${v} === null`;
    case 'undefined':
      return `${v} === undefined`;
    default:
      return `typeof ${v} === '${domain}'`;
  }
}

function push(path: string, issue: Omit<Check, 'fails'>): string {
  return `issues.push({ code: ${JSON.stringify(issue.code)}, path: ${path}, expected: ${JSON.stringify(issue.expected)} });`;
}

/** A unit discriminant's case key (arktype serialises the value) back to the value. */
function parseCase(key: string, node: { expression: string }): unknown {
  try {
    return JSON.parse(key);
  } catch {
    throw unsupported(node, `the case ${key} is not a JSON value`);
  }
}

function literal(value: unknown, node: { expression: string }): string {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return JSON.stringify(value);
  throw unsupported(node, `a literal ${typeof value} cannot be written as JSON`);
}

function unsupported(node: { expression: string }, why: string): Error {
  return new Error(`cannot generate a check for ${node.expression}: ${why} (tools/validator-source.ts)`);
}
