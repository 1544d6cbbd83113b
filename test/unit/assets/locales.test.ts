// Every string the UI asks for exists in English and Simplified Chinese (issue 8: both languages).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const load = (f: string) => JSON.parse(readFileSync(join('assets/locales', f), 'utf8')) as Record<string, string>;
const en = load('en.json');
const zh = load('zh-CN.json');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

describe('translations', () => {
  it('has the same keys in every language, none empty', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries({ ...en, ...zh })) expect(v.trim(), k).not.toBe('');
  });

  it('has every key the renderer uses literally (t(\'…\') and i18next.t(\'…\'))', () => {
    const used = new Set<string>();
    for (const f of sources('renderer')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z]+\.[\w.-]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((k) => !(k in en)).sort()).toEqual([]);
  });

  it('keeps the placeholders of each string in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(en)) expect(vars(zh[k] ?? ''), k).toEqual(vars(en[k]));
  });
});
