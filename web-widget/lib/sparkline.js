// A conversation's customer sentiment (-1..1, the last 12 messages) as a small SVG line.

export function sparkline(c) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 110 28');
  svg.setAttribute('class', `spark ${c.trend || ''}`);
  const pts = c.sentiment.slice(-12);
  const last = pts.at(-1)?.v;
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', pts.length ? `Customer sentiment ${last.toFixed(1)}${c.trend ? `, ${c.trend}` : ''}` : 'No sentiment yet');
  const zero = document.createElementNS(ns, 'line');
  zero.setAttribute('class', 'zero');
  zero.setAttribute('x1', '2');
  zero.setAttribute('x2', '108');
  zero.setAttribute('y1', '14');
  zero.setAttribute('y2', '14');
  svg.append(zero);
  if (pts.length) {
    const step = pts.length > 1 ? 104 / (pts.length - 1) : 0;
    const xy = pts.map((p, i) => [3 + i * step, 14 - Math.max(-1, Math.min(1, p.v)) * 11]);
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '));
    svg.append(line);
    const dot = document.createElementNS(ns, 'circle');
    dot.setAttribute('cx', xy.at(-1)[0].toFixed(1));
    dot.setAttribute('cy', xy.at(-1)[1].toFixed(1));
    dot.setAttribute('r', '2.5');
    svg.append(dot);
  }
  return svg;
}
