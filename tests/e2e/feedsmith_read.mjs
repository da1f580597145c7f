// feedsmith_read.mjs -- reads a feed or an OPML document on stdin with
// feedsmith (an independent parser of RSS, Atom, RDF, JSON Feed and OPML)
// and prints what it understood as JSON: {"format": "json"|"atom"|...,
// "feed": {...}} for a feed (feedsmith's parseFeed detects the format),
// {"format": "opml", "opml": {...}} with "opml" as the first argument.
// Dates are printed as feedsmith keeps them (the strings written).
// A document it cannot read exits 1 with the error on stderr.
//
// Usage: node tests/e2e/feedsmith_read.mjs [opml] < document
import { parseFeed, parseOpml } from 'feedsmith';

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

try {
  const text = await readStdin();
  const out = process.argv[2] === 'opml'
    ? { format: 'opml', opml: parseOpml(text) }
    : parseFeed(text);
  process.stdout.write(JSON.stringify(out));
} catch (e) {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
}
