// Reads a scenario file: YAML → overrides from --set → schema → a normalised Scenario.
// Every problem becomes one ScenarioError naming file:line:col, the path in the document,
// what was expected and what was found. Nothing here prints or exits: the CLIs do.

import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { crossCheck, expandServers, scenarioSchema, type Scenario } from './schema.ts';

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

type Path = (string | number)[];

/** `sites[0].servers[1].weight`, the way people point into a document. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(top level)';
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `"${v}"`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${String(v)}`;
}

/** One issue in words: what was expected and what was found. */
function explain(issue: z.core.$ZodIssue, input: unknown): string {
  const text = explainIssue(issue, input);
  return input === undefined && !text.includes('required') ? `${text} (this field is required)` : text;
}

function explainIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const found = describe(input);
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `expected ${issue.expected === 'object' ? 'a mapping' : issue.expected}, found nothing (this field is required)`;
      return `expected ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : issue.expected}, found ${found}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}, found ${found}`;
    case 'unrecognized_keys':
      return `found unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'too_small':
      if (issue.message.startsWith('expected')) return `${issue.message}, found ${Array.isArray(input) ? `${input.length}` : found}`;
      return issue.origin === 'array'
        ? `expected at least ${String(issue.minimum)} item(s), found ${Array.isArray(input) ? input.length : found}`
        : `expected at least ${String(issue.minimum)}, found ${found}`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}, found ${found}`;
    case 'invalid_union': {
      // Say what the closest alternative wanted, not "invalid input".
      const inner = issue.errors.map((e) => e[0]).filter((e): e is z.core.$ZodIssue => !!e);
      const custom = inner.find((e) => e.code === 'custom' || e.code === 'unrecognized_keys');
      if (custom && custom.code === 'custom') return custom.message;
      return `expected ${issue.message && !issue.message.startsWith('Invalid') ? issue.message : 'one of the documented forms'}, found ${found}`;
    }
    case 'invalid_format':
      return `${issue.message.startsWith('expected') ? issue.message : `expected ${issue.format}`}, found ${found}`;
    default:
      return issue.message.startsWith('expected') ? issue.message : `${issue.message}, found ${found}`;
  }
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** A mapping key as text, whether parsed (a Scalar node) or set by an override (a plain value). */
function keyOf(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}

/** The deepest YAML node along `path`, and whether it is the node itself or an ancestor. */
function nodeAt(doc: Document, path: Path): Node | undefined {
  let node: unknown = doc.contents;
  let last: Node | undefined = node as Node | undefined;
  for (const p of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => keyOf(it.key) === p);
      if (!pair) return last;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof p === 'number') {
      node = node.items[p];
      if (!node) return last;
    } else return last;
    last = node as Node;
  }
  return last;
}

function keyNode(doc: Document, path: Path, key: string): Node | undefined {
  const parent = nodeAt(doc, path);
  if (isMap(parent)) {
    const pair = parent.items.find((it) => keyOf(it.key) === key);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return parent;
}

interface Located {
  file: string;
  lines: LineCounter;
  doc: Document;
  overrides: Map<string, string>;
}

function position(loc: Located, path: Path, key?: string): string {
  const full = formatPath(key ? [...path, key] : path);
  for (const [p, text] of loc.overrides) {
    if (full === p || full.startsWith(`${p}.`) || full.startsWith(`${p}[`)) return `--set ${p}=${text}`;
  }
  const node = key ? keyNode(loc.doc, path, key) : nodeAt(loc.doc, path);
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = loc.lines.linePos(offset);
  return `${loc.file}:${line}:${col}`;
}

/** Applies `path=value` (value read as YAML) onto the parsed document, creating maps on the way. */
function applySet(doc: Document, assignment: string): { path: Path; text: string } {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new ScenarioError(`--set ${assignment}: expected path=value such as sites[0].uplink=200Mbps, found no "="`);
  const pathText = assignment.slice(0, eq).trim();
  const text = assignment.slice(eq + 1);
  const path = parsePath(pathText, `--set ${assignment}`);
  const value = parseDocument(text).toJS() as unknown;
  if (!doc.contents) doc.contents = doc.createNode({});
  doc.setIn(path, doc.createNode(value));
  return { path, text };
}

export interface LoadOptions {
  /** `path=value` overrides, applied in order. */
  set?: string[];
}

function parseYaml(text: string, file: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const { line, col } = lines.linePos(e.pos[0]);
    const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    throw new ScenarioError(`${file}:${line}:${col}: this is not valid YAML: ${what}.`);
  }
  return { doc, lines };
}

/** One paragraph for the first of `total` problems; the rest are counted. */
function firstOf(first: string, total: number): string {
  const n = total - 1;
  return first + (n > 0 ? ` (${n} more problem${n > 1 ? 's' : ''} after this one)` : '');
}

type Parsed = z.output<typeof scenarioSchema>;
export type PlanSpaceInput = NonNullable<Parsed['plan']>;
export interface Sweep {
  path: string;
  values: string[];
}

/** Validates a (possibly overridden) document, or throws one clear ScenarioError. */
function validate(loc: Located): Scenario {
  return check(loc).scenario;
}

/** The validated Scenario, and the blocks that steer runs of it (sweep, plan) from the same parse. */
function check(loc: Located): { scenario: Scenario; sweep?: Sweep; plan?: PlanSpaceInput } {
  const { file } = loc;
  const input = loc.doc.toJS() as unknown;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ScenarioError(`${file}:1:1: (top level): expected a mapping with name, duration, workload and sites, found ${describe(input)}.`);
  }
  const result = scenarioSchema.safeParse(input);
  if (!result.success) {
    // One paragraph for the first problem in document order; the rest are counted.
    const issues = result.error.issues;
    const first = issues[0]!;
    const path = first.path as Path;
    const key = first.code === 'unrecognized_keys' ? first.keys[0] : undefined;
    const where = position(loc, path, key);
    const fieldPath = key ? [...path, key] : path;
    const paragraph = `${where}: ${formatPath(fieldPath)}: ${explain(first, valueAt(input, path))}.`;
    throw new ScenarioError(firstOf(paragraph, issues.length));
  }
  const problems: string[] = [];
  crossCheck(result.data, (path, message) => problems.push(`${position(loc, path)}: ${formatPath(path)}: ${message}.`));
  if (problems.length > 0) throw new ScenarioError(firstOf(problems[0]!, problems.length));
  const { $schema: _ignored, compare: _variants, sweep, plan, ...data } = result.data;
  const scenario = { ...data, sites: data.sites.map((s) => ({ ...s, servers: expandServers(s.servers) })) };
  return {
    scenario,
    ...(sweep ? { sweep: { path: sweep.path, values: sweep.values?.map(String) ?? expandRange(String(sweep.from), String(sweep.to), sweep.steps, sweep.path, loc.file) } } : {}),
    ...(plan ? { plan } : {}),
  };
}

function located(text: string, file: string, options: LoadOptions): Located {
  const { doc, lines } = parseYaml(text, file);
  const overrides = new Map<string, string>();
  for (const a of options.set ?? []) {
    const { path, text: t } = applySet(doc, a);
    overrides.set(formatPath(path), t);
  }
  return { file, lines, doc, overrides };
}

/** Parses and validates scenario text; `file` is only used to name positions. */
export function parseScenario(text: string, file: string, options: LoadOptions = {}): Scenario {
  return validate(located(text, file, options));
}

/** from..to in `steps` values, keeping the unit; rates for arrivals become "poisson <rate>". */
function expandRange(from: string, to: string, steps: number, path: string, file: string): string[] {
  const re = /^\s*(?:poisson\s+)?([0-9]+(?:\.[0-9]+)?)\s*(\S*)\s*$/;
  const a = re.exec(from);
  const b = re.exec(to);
  if (!a || !b || a[2] !== b[2]) {
    throw new ScenarioError(`${file}: sweep: expected from and to as numbers or quantities with the same unit (e.g. 100/s and 1000/s), found "${from}" and "${to}".`);
  }
  const lo = Number(a[1]);
  const hi = Number(b[1]);
  const unit = a[2]!;
  const integer = unit === '' && Number.isInteger(lo) && Number.isInteger(hi);
  const prefix = path.endsWith('arrivals') && unit.startsWith('/') ? 'poisson ' : '';
  const out: string[] = [];
  for (let i = 0; i < steps; i++) {
    const v = lo + ((hi - lo) * i) / (steps - 1);
    out.push(`${prefix}${integer ? Math.round(v) : +v.toPrecision(6)}${unit}`);
  }
  return [...new Set(out)];
}

export interface Variant {
  label: string;
  scenario: Scenario;
}

export interface ScenarioSet {
  base: Scenario;
  /** The variants of its `compare:` list, each the base with its overrides. */
  variants: Variant[];
  sweep?: Sweep;
  plan?: PlanSpaceInput;
}

/** The scenario with everything that steers runs of it: variants, sweep, plan. */
export function parseScenarioSet(text: string, file: string, options: LoadOptions = {}): ScenarioSet {
  const loc = located(text, file, options);
  const { scenario: base, sweep, plan } = check(loc);
  const list = loc.doc.getIn(['compare'], true);
  const variants: Variant[] = [];
  if (isSeq(list)) {
    list.items.forEach((item, i) => {
      if (!isMap(item)) {
        const { line, col } = loc.lines.linePos((item as Node | null)?.range?.[0] ?? 0);
        throw new ScenarioError(`${file}:${line}:${col}: compare[${i}]: expected a mapping of overrides such as { balancing: dns }, found ${describe((item as Node | null)?.toJSON?.())}.`);
      }
      const doc = loc.doc.clone();
      doc.deleteIn(['compare']);
      const labels: string[] = [];
      let label: string | undefined;
      for (const pair of item.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (key === 'variant') {
          label = String((pair.value as Node & { toJSON(): unknown }).toJSON());
          continue;
        }
        const path = parsePath(key, `compare[${i}]`);
        mergeInto(doc, path, pair.value as Node);
        labels.push(`${key}=${JSON.stringify((pair.value as Node & { toJSON(): unknown }).toJSON()).replaceAll('"', '')}`);
      }
      const scenario = validate({ ...loc, doc });
      variants.push({ label: label ?? labels.join(', '), scenario });
    });
  }
  return { base, variants, ...(sweep ? { sweep } : {}), ...(plan ? { plan } : {}) };
}

function parsePath(text: string, where: string): Path {
  const path: Path = [];
  for (const part of text.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new ScenarioError(`${where}: expected a field or a path such as sites[0].uplink, found "${text}"`);
    path.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  return path;
}

/** Deep-merges a variant's node into the document: mappings key by key (unless their kind differs), lists of mappings item by item. */
function mergeInto(doc: Document, path: Path, node: Node): void {
  const target = doc.getIn(path, true);
  // A mapping of another kind (healthcheck monit → keepalived) replaces the old one whole:
  // the old kind's fields would not fit the new one.
  const kindOf = (m: unknown) => (isMap(m) ? (m as { get(k: string): unknown }).get('kind') : undefined);
  if (isMap(node) && isMap(target) && kindOf(node) !== undefined && kindOf(node) !== kindOf(target)) {
    doc.setIn(path, node);
    return;
  }
  if (isMap(node) && isMap(target)) {
    for (const pair of node.items) mergeInto(doc, [...path, isScalar(pair.key) ? String(pair.key.value) : ''], pair.value as Node);
    return;
  }
  if (isSeq(node) && isSeq(target) && node.items.every(isMap) && target.items.every(isMap) && node.items.length > 0) {
    node.items.forEach((item, k) => mergeInto(doc, [...path, k], item as Node));
    return;
  }
  // Keep the variant's own node: its position in the file names errors in it.
  doc.setIn(path, node);
}

/** Reads a scenario file from disk. */
export function loadScenario(file: string, options: LoadOptions = {}): Scenario {
  return parseScenario(readScenarioText(file), file, options);
}

function readScenarioText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(
      code === 'ENOENT' ? `${file}: no such scenario file.` : `${file}: cannot read it (${code ?? String(e)}).`,
    );
  }
}

/** Reads a scenario file with its variants, sweep and plan. */
export function loadScenarioSet(file: string, options: LoadOptions = {}): ScenarioSet {
  return parseScenarioSet(readScenarioText(file), file, options);
}
