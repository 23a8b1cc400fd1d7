// Small DOM helpers for the pages: elements are built with textContent, never HTML from data.

// el('li', {class: 'x', text: 'y', 'aria-label': 'z', dir: 'auto'}, ...children)
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('aria-') || k.startsWith('data-') || ['role', 'for', 'dir', 'tabindex'].includes(k)) e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children);
  return e;
}

// "14:05" in the reader's locale.
export function clock(at) {
  return new Date(at ?? Date.now()).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// "16,384"
export function count(n) {
  return Number(n).toLocaleString('en-US');
}
