/**
 * Builds the dashboard page in memory with esbuild: the script (IIFE for ES2020, uPlot bundled) and the CSS (uPlot's
 * with the page's), minified. Writes nothing; the dashboard server serves the result.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The page, its script and stylesheet, and the script's size minified and gzipped (level 9) in bytes. */
export interface DashboardBuild {
  readonly html: string;
  readonly script: string;
  readonly css: string;
  readonly scriptBytes: number;
  readonly scriptGzipBytes: number;
}

/** Where the server may also serve `script` and `css` (the page does not need them: both are inlined). */
export const DASHBOARD_SCRIPT_PATH = '/dashboard.js';
export const DASHBOARD_CSS_PATH = '/dashboard.css';

/** uPlot's MIT notice, which minifying would drop. */
function uplotNotice(): string {
  const { version } = JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as { version: string };
  return `/*! uPlot ${version}, (c) 2025 Leon Sorokin, MIT License */`;
}

async function bundleScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(__dirname, 'src', 'main.ts')],
    bundle: true,
    minify: true,
    target: 'es2020',
    format: 'iife',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    banner: { js: uplotNotice() },
  });
  return result.outputFiles[0]!.text;
}

async function bundleCss(): Promise<string> {
  const result = await build({
    entryPoints: [join(__dirname, 'src', 'styles.css')],
    bundle: true,
    minify: true,
    write: false,
    legalComments: 'none',
  });
  return result.outputFiles[0]!.text;
}

/** `text` made safe to sit inside a `<script>` or `<style>` element: no closing tag of either. */
function inlinable(text: string, what: string): string {
  if (/<\/(script|style)/i.test(text))
    throw new Error(`the dashboard's ${what} contains a closing </script> or </style> tag, so it cannot be inlined`);
  return text;
}

/** The page around `css` and `script`. */
function page(css: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clickstream analytics</title>
<link rel="icon" href="data:,">
<style>${inlinable(css, 'CSS')}</style>
</head>
<body>
<main id="dashboard" data-testid="dashboard" data-state="loading"></main>
<noscript>The dashboard draws its panels with JavaScript: enable it for this page.</noscript>
<script>${inlinable(script, 'script')}</script>
</body>
</html>
`;
}

/**
 * Builds the dashboard. `html` is the whole page in one response: the script and the CSS are inlined into it, so the
 * server needs to serve only `html` at `/` (and the API); it references nothing else, not even a favicon. `script`
 * and `css` are returned as well, for a server that would rather serve them at `/dashboard.js` and `/dashboard.css`.
 */
export async function buildDashboard(): Promise<DashboardBuild> {
  const [script, css] = await Promise.all([bundleScript(), bundleCss()]);
  return {
    html: page(css, script),
    script,
    css,
    scriptBytes: Buffer.byteLength(script),
    scriptGzipBytes: gzipSync(script, { level: 9 }).length,
  };
}
