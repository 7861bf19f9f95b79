import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Every workflow module is evaluated once per workflow thread and shared by all the workflows in
 * it (SHARED_WORKFLOW_MODULES in worker/workflow-bundle.ts). State at module scope would then be
 * seen by every conversation: one run's data in another's, and replays that decide differently.
 */
const workflowsDir = fileURLToPath(new URL('../../workflows/', import.meta.url));

/** Module-scope bindings that may change, each with why sharing it is safe. */
const ALLOWED: Record<string, string> = {
  'hours/business-hours.ts:formatters': 'a cache of Intl formatters by time zone: the same answer for every workflow',
};

const MUTATORS = new Set(['add', 'set', 'delete', 'clear', 'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin']);

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name)).sort();
}

/** What in one module keeps or changes state at module scope. */
function moduleState(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const bindings = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const constant = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue;
      bindings.add(declaration.name.text);
      if (!constant) found.push(`${declaration.name.text}: a module-scope ${statement.declarationList.flags & ts.NodeFlags.Let ? 'let' : 'var'}`);
      const initial = declaration.initializer;
      // exec() and test() move a global or sticky expression's lastIndex: state, however constant.
      if (initial && ts.isRegularExpressionLiteral(initial) && /\/[a-z]*[gy][a-z]*$/.test(initial.text)) found.push(`${declaration.name.text}: a module-scope regular expression with the g or y flag`);
    }
  }
  const changed = (target: ts.Expression): string | null => {
    let root = target;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = root.expression;
    return ts.isIdentifier(root) && bindings.has(root.text) && root !== target ? root.text : null;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && MUTATORS.has(node.expression.name.text)) {
      const name = changed(node.expression);
      if (name) found.push(`${name}: changed by .${node.expression.name.text}() (line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1})`);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const name = changed(node.left);
      if (name) found.push(`${name}: assigned into (line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('workflow modules keep no state at module scope, since every workflow of a thread shares them', async () => {
  const found: string[] = [];
  for (const file of await sources(workflowsDir)) {
    const relative = path.relative(workflowsDir, file).split(path.sep).join('/');
    for (const finding of moduleState(relative, await readFile(file, 'utf8'))) {
      if (!(`${relative}:${finding.split(':')[0]}` in ALLOWED)) found.push(`${relative}: ${finding}`);
    }
  }
  assert.deepEqual(found, []);
});

test('the check sees a module-scope let, a global regular expression, a shared Map written into and an object assigned into; a function\'s own state passes', () => {
  const findings = moduleState(
    'example.ts',
    [
      'let count = 0;',
      'const seen = new Map<string, number>();',
      'const totals: Record<string, number> = {};',
      'const WORDS = new Set(["a", "b"]);',
      'const WORD = /\\w+/gu;',
      'const DIGITS = /\\d+/u;',
      'export function count(id: string) {',
      '  const mine = new Map<string, number>();',
      '  mine.set(id, 1);',
      '  seen.set(id, 1);',
      '  totals[id] = 1;',
      '  return WORDS.has(id);',
      '}',
    ].join('\n'),
  );
  assert.deepEqual(findings.map((f) => f.split(':')[0]), ['count', 'WORD', 'seen', 'totals']);
});
