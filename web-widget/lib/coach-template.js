// The <tact-coach> panel's shadow DOM: its stylesheet (light and dark) and its markup.

export const STYLE = `
:host { display: block; box-sizing: border-box; min-width: 0; max-width: 100%;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #ffffff; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.panel { display: flex; flex-direction: column; gap: 10px; padding: 10px; min-width: 0;
  overflow-wrap: anywhere; border-left: 1px solid #d0d7de; height: 100%; overflow-y: auto; }
header { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
h2 { font-size: 15px; margin: 0; flex: 1; }
h3 { font-size: 12px; margin: 0 0 4px; text-transform: uppercase; letter-spacing: .04em; color: #57606a; }
.status { font-size: 12px; color: #57606a; }
.status[data-status="open"] { color: #1a7f37; }
.status[data-status="refused"], .status[data-status="expired"], .status[data-status="offline"] { color: #b42318; font-weight: 600; }
.who { font-size: 13px; color: #424a53; }
.timer { font-variant-numeric: tabular-nums; font-weight: 600; padding: 2px 8px; border-radius: 10px;
  background: #eaeef2; color: #1f2328; white-space: nowrap; }
.timer[data-level="warn"] { background: #fff1c2; color: #5c3b00; }
.timer[data-level="late"] { background: #b42318; color: #ffffff; }
.empty { color: #57606a; font-style: italic; margin: 0; }
ol, ul { list-style: none; margin: 0; padding: 0; }
.checklist li { display: grid; grid-template-columns: 22px 1fr; gap: 0 6px; padding: 4px 0; border-top: 1px solid #eaeef2; }
.checklist li:first-child { border-top: none; }
.icon { font-weight: 700; text-align: center; border-radius: 50%; width: 20px; height: 20px; line-height: 20px; font-size: 12px; }
.st-missing .icon { border: 2px solid #7a4100; color: #7a4100; line-height: 16px; }
.st-done .icon { background: #1a7f37; color: #ffffff; }
.st-spoiled .icon { background: #b42318; color: #ffffff; }
.step { font-weight: 600; }
.state { font-size: 12px; font-weight: 600; margin-left: 4px; }
.st-missing .state { color: #7a4100; }
.st-done .state { color: #1a7f37; }
.st-spoiled .state { color: #b42318; }
.why { grid-column: 2; font-size: 13px; color: #424a53; }
.checklist li { padding: 2px 0; }
.next { font-size: 11px; font-weight: 700; text-transform: uppercase; margin-left: 6px; padding: 0 6px; border-radius: 8px; background: #7a4100; color: #ffffff; }
.is-next { background: #fff8e6; }
.last .quote.clean { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.suggestions li + li { margin-top: 6px; }
.suggestions button { display: block; width: 100%; text-align: left; font: inherit; color: #0a3069; cursor: pointer;
  background: #ddf4ff; border: 1px solid #0969da; border-radius: 6px; padding: 6px 8px; }
.suggestions button:hover { background: #b6e3ff; }
button:focus-visible, textarea:focus-visible { outline: 3px solid #0550ae; outline-offset: 2px; }
.sugg-step { display: block; font-size: 11px; font-weight: 700; text-transform: uppercase; color: #0550ae; }
.key { float: right; font-size: 11px; color: #0550ae; }
.quote { margin: 0 0 6px; padding: 6px 8px; background: #f6f8fa; border-radius: 6px; white-space: pre-wrap; }
mark { background: #ffd8d3; color: #1f2328; border-bottom: 2px solid #b42318; padding: 0 1px; border-radius: 2px; }
.flags li { padding: 4px 0 4px 8px; border-left: 3px solid #b42318; margin-top: 4px; }
.flag-kind { font-weight: 700; color: #b42318; }
.try { display: block; font-size: 13px; color: #424a53; }
.ok { color: #1a7f37; margin: 0; font-weight: 600; }
.whispers li { background: #f3e8ff; color: #3b1a6b; border-radius: 6px; padding: 6px 8px; margin-top: 4px; }
.whispers .from { font-weight: 700; }
.closed-note { background: #eaeef2; padding: 4px 8px; border-radius: 6px; font-size: 13px; margin: 0; }
.lesson-box { background: #eef6ff; border-left: 4px solid #0550ae; border-radius: 6px; padding: 6px 8px; }
.lesson-box h3 { color: #0a3069; }
.lessons li + li { margin-top: 6px; border-top: 1px solid #b6d4f2; padding-top: 6px; }
.lesson-text { margin: 0; white-space: pre-wrap; }
.lesson-by { margin: 2px 0 0; font-size: 12px; color: #424a53; }
.dispute { margin-top: 4px; font-size: 13px; }
button.mini { font: inherit; font-size: 12px; padding: 1px 8px; border-radius: 6px; cursor: pointer;
  border: 1px solid #8c959f; background: #ffffff; color: #1f2328; }
button.mini:hover { background: #f3f4f6; }
button.mini.primary { background: #0969da; border-color: #0969da; color: #ffffff; }
.dispute-form { display: flex; flex-direction: column; gap: 4px; }
.reason-label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: #424a53; }
.reason { font: inherit; font-size: 13px; padding: 3px 6px; border: 1px solid #8c959f; border-radius: 6px; color: #1f2328; background: #ffffff; }
.dispute-buttons { display: flex; gap: 6px; }
.disputed { font-weight: 600; color: #1a7f37; }
.sending { color: #57606a; }
.dispute-error { color: #b42318; }
input:focus-visible, .disputed:focus-visible, .sending:focus-visible { outline: 3px solid #0550ae; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (prefers-color-scheme: dark) {
  :host { color: #e6edf3; background: #161b22; }
  .panel { border-color: #30363d; }
  h3, .status, .empty, .who, .why, .try { color: #b1bac4; }
  .status[data-status="open"], .st-done .state, .ok { color: #7ee787; }
  .status[data-status="refused"], .status[data-status="expired"], .flag-kind, .st-spoiled .state { color: #ff7b72; }
  .timer { background: #30363d; color: #e6edf3; }
  .timer[data-level="warn"] { background: #4b3a00; color: #f8e3a1; }
  .checklist li { border-color: #30363d; }
  .st-missing .icon { border-color: #e3b341; color: #e3b341; }
  .st-missing .state { color: #e3b341; }
  .is-next { background: #2e2a1a; }
  .suggestions button { background: #132339; color: #cae8ff; border-color: #4493f8; }
  .suggestions button:hover { background: #1c3556; }
  .sugg-step, .key { color: #79c0ff; }
  .quote { background: #0d1117; }
  mark { background: #5a1e1a; color: #ffdcd7; border-color: #ff7b72; }
  .whispers li { background: #2a1d40; color: #e2d3ff; }
  .closed-note { background: #30363d; }
  .lesson-box { background: #0c2d6b; border-color: #79c0ff; }
  .lesson-box h3 { color: #cae8ff; }
  .lessons li + li { border-color: #1f4a8a; }
  .lesson-by, .reason-label, .sending { color: #b1bac4; }
  button.mini, .reason { background: #0d1117; color: #e6edf3; border-color: #8b949e; }
  button.mini:hover { background: #21262d; }
  button.mini.primary { background: #1f6feb; border-color: #1f6feb; color: #ffffff; }
  .disputed { color: #7ee787; }
  .dispute-error { color: #ff7b72; }
  input:focus-visible, .disputed:focus-visible, .sending:focus-visible { outline-color: #79c0ff; }
  button:focus-visible, textarea:focus-visible { outline-color: #79c0ff; }
}
`;

export const TEMPLATE = `
<section class="panel" role="region" aria-label="Tact coach">
  <header>
    <h2>Tact coach</h2>
    <span class="status" role="status" aria-live="polite">connecting…</span>
  </header>
  <div class="who" part="who">
    <span class="customer" dir="auto">No conversation yet</span>
    <span class="timer" role="timer" aria-label="Customer waiting" hidden></span>
  </div>
  <p class="closed-note" hidden>This conversation is closed.</p>
  <section class="whispers-box" aria-labelledby="h-wh" hidden>
    <h3 id="h-wh">From your supervisor</h3>
    <ul class="whispers" aria-live="polite"></ul>
  </section>
  <section class="lesson-box" aria-labelledby="h-lesson" hidden>
    <h3 id="h-lesson">Lesson from your team</h3>
    <ul class="lessons"></ul>
  </section>
  <section class="draft-box" aria-labelledby="h-draft" hidden>
    <h3 id="h-draft">Your draft</h3>
    <div class="draft" aria-live="polite"></div>
  </section>
  <section class="last-box" aria-labelledby="h-last" hidden>
    <h3 id="h-last">Your last message</h3>
    <div class="last" aria-live="polite"><p class="empty">Nothing sent yet.</p></div>
  </section>
  <section aria-labelledby="h-sugg">
    <h3 id="h-sugg">Suggested replies</h3>
    <ol class="suggestions" aria-label="Suggested replies"></ol>
    <p class="empty sugg-empty">No suggestion right now.</p>
  </section>
  <section aria-labelledby="h-play">
    <h3 id="h-play">Playbook</h3>
    <ol class="checklist" aria-label="Playbook checklist"></ol>
    <p class="empty play-empty">No open complaint.</p>
  </section>
</section>`;
