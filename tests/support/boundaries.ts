// The layering rule, checked by a machine: the pure core imports only the core; use
// cases import only the core; adapters and card builders never import each other or
// the use cases; only the shell (src/shell, src/main.ts) wires them together. Apps Script,
// DOM and Node types are kept out of the core by tsconfig.core.json (no `types`).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Layer → the layers it may import. */
export const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  app: ['core', 'app'],
  adapters: ['core', 'adapters'],
  ui: ['core', 'ui'],
  // shell/ (handlers, setup, composition) and main.ts wire everything and may import anything.
};

export interface Violation {
  file: string;
  imports: string;
  rule: string;
}

export function layerOf(srcRelative: string): string {
  const first = srcRelative.split('/')[0]!;
  return first.endsWith('.ts') ? 'root' : first;
}

/** Checks one file's import specifiers. `file` is relative to src/. */
export function checkImports(file: string, source: string): Violation[] {
  const layer = layerOf(file);
  const allowed = ALLOWED[layer];
  if (!allowed) return [];
  const out: Violation[] = [];
  for (const m of source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    const spec = m[1]!;
    if (!spec.startsWith('.')) {
      out.push({ file, imports: spec, rule: `${layer} may not import packages` });
      continue;
    }
    const target = relative('.', join(dirname(file), spec)).replace(/\\/g, '/');
    const targetLayer = layerOf(target.endsWith('.ts') ? target : `${target}.ts`);
    if (!allowed.includes(targetLayer))
      out.push({ file, imports: spec, rule: `${layer} may not import ${targetLayer}` });
  }
  return out;
}

export function checkTree(srcDir = resolve(__dirname, '../../src')): Violation[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) files.push(path);
    }
  };
  walk(srcDir);
  return files.flatMap((path) =>
    checkImports(relative(srcDir, path).replace(/\\/g, '/'), readFileSync(path, 'utf8')),
  );
}
