// The server's own pages: errors (404/403/405/416/500 ...) and the optional directory listing.
// Minimal, self-contained HTML with the same look as Apache's, and nothing the request said is
// echoed unescaped.

import { escapeHtml } from '../../../core/lab/page.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  416: 'Range Not Satisfiable',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const EXPLAIN: Record<number, string> = {
  400: 'Your browser sent a request that this server could not understand.',
  403: 'You don\'t have permission to access this resource.',
  404: 'The requested URL was not found on this server.',
  405: 'The requested method is not allowed for this URL; this server only answers GET and HEAD.',
  412: 'The precondition on the request for this URL evaluated to false.',
  416: 'None of the range-specifier values in the Range request-header field overlap the current extent of the selected resource.',
  500: 'The server encountered an internal error and was unable to complete your request.',
  503: 'The server is temporarily unable to service your request.',
};

export function reason(status: number): string {
  return REASONS[status] ?? 'Error';
}

export function errorPage(status: number, serverName: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${status} ${reason(status)}</title></head>
<body>
<h1>${reason(status)}</h1>
<p>${escapeHtml(EXPLAIN[status] ?? '')}</p>
<hr>
<address>${escapeHtml(serverName)}</address>
</body></html>
`;
}

export interface ListingEntry {
  name: string;
  dir: boolean;
  size: number;
  mtime: Date;
}

export function listingPage(urlPath: string, entries: ListingEntry[], serverName: string): string {
  const rows = entries
    .sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name))
    .map((e) => {
      const href = encodeURIComponent(e.name) + (e.dir ? '/' : '');
      const when = e.mtime.toISOString().slice(0, 16).replace('T', ' ');
      return `<tr><td><a href="${escapeHtml(href)}">${escapeHtml(e.name)}${e.dir ? '/' : ''}</a></td><td>${when}</td><td align="right">${e.dir ? '-' : e.size}</td></tr>`;
    });
  const title = `Index of ${escapeHtml(urlPath)}`;
  const parent = urlPath === '/' ? '' : '<tr><td><a href="../">Parent Directory</a></td><td></td><td align="right">-</td></tr>\n';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body>
<h1>${title}</h1>
<table>
<tr><th>Name</th><th>Last modified</th><th>Size</th></tr>
${parent}${rows.join('\n')}
</table>
<hr>
<address>${escapeHtml(serverName)}</address>
</body></html>
`;
}
