/** The dashboard's build: one self-contained page that loads nothing from elsewhere. */
import { buildDashboard } from '../../../dashboard/build';
import type { DashboardBuild } from '../../../dashboard/build';

let built: DashboardBuild;

beforeAll(async () => {
  built = await buildDashboard();
});

describe('buildDashboard', () => {
  it('references no external URL: no script src or link href outside the page itself', () => {
    const references = [...built.html.matchAll(/<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[3]!);
    expect(references.filter((url) => /^(https?:)?\/\//i.test(url))).toEqual([]);
    expect(references).toEqual(['data:,']);
    expect(built.css).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
  });

  it('inlines the bundled script, uPlot included, and the CSS, uPlot’s included, into the page', () => {
    expect(built.html).toContain(`<script>${built.script}</script>`);
    expect(built.html).toContain(`<style>${built.css}</style>`);
    expect(built.script).not.toMatch(/\brequire\(|\bimport\(/);
    expect(built.script).toContain('uPlot');
    expect(built.css).toContain('.uplot');
  });

  it('reports the script’s size, minified and gzipped', () => {
    expect(built.scriptBytes).toBe(Buffer.byteLength(built.script));
    expect(built.scriptGzipBytes).toBeGreaterThan(0);
    expect(built.scriptGzipBytes).toBeLessThan(built.scriptBytes);
    // uPlot is about 22 KB of it gzipped; this catches a library bundled by mistake.
    expect(built.scriptGzipBytes).toBeLessThan(45_000);
  });
});
