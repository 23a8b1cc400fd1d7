// Small SVG charts for the insights page: horizontal bars (rates, counts) and a daily trend line.
// The geometry is computed by pure functions (tested without a browser); the renderers only draw
// it. Every chart is an <svg role="img"> whose aria-label says what it shows in words.

const NS = 'http://www.w3.org/2000/svg';

// rows: [{label, value}] -> [{label, value, y, w}] with bars scaled to `max` (default: the largest
// value, at least 1) over `width` pixels.
export function barLayout(rows, { width = 240, rowHeight = 22, max } = {}) {
  const top = max ?? Math.max(1, ...rows.map((r) => r.value));
  return rows.map((r, i) => ({
    label: r.label,
    value: r.value,
    y: i * rowHeight,
    w: top > 0 ? Math.max(0, Math.min(1, r.value / top)) * width : 0,
  }));
}

// points: [{day: 'YYYY-MM-DD', value}] (in order) -> "x,y x,y ..." for a polyline in a
// width × height box, value 0 at the bottom and the largest value at the top.
export function trendPoints(points, { width = 240, height = 60, max } = {}) {
  if (!points.length) return '';
  const top = max ?? Math.max(1, ...points.map((p) => p.value));
  const step = points.length > 1 ? width / (points.length - 1) : 0;
  return points
    .map((p, i) => `${(i * step).toFixed(1)},${(height - (Math.max(0, p.value) / top) * height).toFixed(1)}`)
    .join(' ');
}

function node(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// A horizontal bar chart. `format(value)` writes each bar's number (default: as is).
export function barChart(rows, { title, format = (v) => String(v), max, labelWidth = 130, width = 200 } = {}) {
  const rowHeight = 22;
  const bars = barLayout(rows, { width, rowHeight, max });
  const svg = node('svg', {
    class: 'chart bars',
    viewBox: `0 0 ${labelWidth + width + 60} ${Math.max(rowHeight, bars.length * rowHeight)}`,
    role: 'img',
    'aria-label': `${title}: ${rows.map((r) => `${r.label} ${format(r.value)}`).join(', ') || 'none'}`,
  });
  for (const b of bars) {
    svg.append(node('text', { x: labelWidth - 6, y: b.y + 15, 'text-anchor': 'end', class: 'label' }, b.label));
    svg.append(node('rect', { x: labelWidth, y: b.y + 4, width: b.w.toFixed(1), height: rowHeight - 8, rx: 2, class: 'bar' }));
    svg.append(node('text', { x: labelWidth + b.w + 6, y: b.y + 15, class: 'value' }, format(b.value)));
  }
  return svg;
}

// A line of daily values with its first and last day written under it.
export function trendChart(points, { title, width = 240, height = 60 } = {}) {
  const svg = node('svg', {
    class: 'chart trend',
    viewBox: `-4 -4 ${width + 8} ${height + 24}`,
    role: 'img',
    'aria-label': `${title}: ${points.map((p) => `${p.day} ${p.value}`).join(', ') || 'no days'}`,
  });
  svg.append(node('line', { x1: 0, x2: width, y1: height, y2: height, class: 'axis' }));
  if (points.length) {
    svg.append(node('polyline', { points: trendPoints(points, { width, height }), class: 'line' }));
    svg.append(node('text', { x: 0, y: height + 16, class: 'label' }, points[0].day));
    if (points.length > 1) svg.append(node('text', { x: width, y: height + 16, 'text-anchor': 'end', class: 'label' }, points.at(-1).day));
  }
  return svg;
}
