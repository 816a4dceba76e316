/** The page's one stylesheet: quiet, dense, legible; colour only where it carries meaning. */
export const STYLE_CSS = `
:root {
  --ink: #1b1f24; --muted: #5b6470; --line: #d8dde3; --paper: #ffffff; --ground: #f3f5f7;
  --bar: #15191e; --accent: #1f5fbf; --danger: #b42318; --danger-bg: #fef3f2; --warn: #8a5a00;
  --warn-bg: #fff8e6; --ok: #1a7f37; --ok-bg: #edf8f0; --idle-bg: #eef0f3;
  --mono: ui-monospace, "SFMono-Regular", "JetBrains Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { background: var(--ground); }
body { margin: 0; color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, .mono { font-family: var(--mono); font-size: 13px; }
header.bar { background: var(--bar); color: #e8ebef; }
header.bar .inner { display: flex; align-items: center; gap: 24px; height: 48px; }
header.bar .brand { font-weight: 700; letter-spacing: .02em; color: #fff; font-size: 15px; }
header.bar nav a { color: #b9c1cb; margin-right: 16px; }
header.bar nav a.here { color: #fff; }
header.bar .who { margin-left: auto; display: flex; align-items: center; gap: 12px; color: #b9c1cb; }
header.bar .who form { margin: 0; }
header.bar .who button { background: none; border: 1px solid #3a434e; color: #d6dbe1; padding: 3px 10px; }
.inner { max-width: 1080px; margin: 0 auto; padding: 0 20px; }
main.inner { padding-top: 24px; padding-bottom: 48px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h1 + .sub { color: var(--muted); margin: 0 0 20px; }
h2 { font-size: 18px; margin: 10px 0 2px; }
h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 18px 0 6px; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 18px 20px; margin-bottom: 18px; }
.card > h3:first-child { margin-top: 0; }
.card.pending { border-left: 4px solid #d4a72c; }
.card.approved { border-left: 4px solid var(--ok); }
.meta { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; color: var(--muted); font-size: 13px; }
.meta .push { margin-left: auto; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
  text-transform: uppercase; letter-spacing: .04em; background: var(--idle-bg); color: var(--muted); }
.badge.pending { background: var(--warn-bg); color: var(--warn); }
.badge.approved, .badge.used { background: var(--ok-bg); color: var(--ok); }
.badge.denied { background: var(--danger-bg); color: var(--danger); }
.grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 8px 28px; }
@media (max-width: 760px) { .grid { grid-template-columns: 1fr; } }
dl.fields { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 12px; margin: 0; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; background: var(--ground); border: 1px solid var(--line);
  border-radius: 4px; padding: 6px 8px; }
ul.risk { list-style: none; padding: 0; margin: 0; }
ul.risk li { padding: 3px 0 3px 18px; position: relative; }
ul.risk li::first-letter { text-transform: uppercase; }
ul.risk li::before { content: ""; position: absolute; left: 2px; top: 10px; width: 8px; height: 8px; border-radius: 50%;
  background: var(--line); }
ul.risk li.high::before { background: var(--danger); }
ul.risk li.high { color: var(--danger); font-weight: 600; }
blockquote.intent { margin: 0; padding: 8px 12px; border-left: 3px solid var(--line); background: var(--ground); }
.note { color: var(--muted); font-size: 12px; }
ul.plain { margin: 0; padding-left: 18px; }
.target { display: inline-block; font-family: var(--mono); font-size: 12px; background: var(--danger-bg);
  color: var(--danger); border-radius: 3px; padding: 0 5px; margin-right: 4px; }
.rule { font-family: var(--mono); font-size: 12px; background: var(--idle-bg); border-radius: 3px; padding: 0 5px; margin-right: 4px; }
.votes .push { margin-left: auto; }
.votes { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 18px; }
.progress { font-weight: 600; }
.clock { font-family: var(--mono); font-weight: 600; font-variant-numeric: tabular-nums; }
.wait { background: var(--warn-bg); border: 1px solid #f0d99a; border-radius: 4px; padding: 8px 12px; margin-top: 10px; }
.wait.done { background: var(--ok-bg); border-color: #b7dfc3; }
form.vote { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-start; margin-top: 14px; padding-top: 14px;
  border-top: 1px solid var(--line); }
form.vote textarea { flex: 1 1 320px; min-height: 36px; height: 36px; resize: vertical; font: inherit;
  border: 1px solid var(--line); border-radius: 4px; padding: 7px 9px; }
button { font: inherit; font-weight: 600; border-radius: 4px; padding: 7px 16px; cursor: pointer; border: 1px solid transparent; }
button.approve { background: var(--ok); color: #fff; }
button.deny { background: #fff; color: var(--danger); border-color: var(--danger); }
button.cancel { background: #fff; color: var(--ink); border-color: var(--muted); }
button.primary { background: var(--accent); color: #fff; }
.flash { border-radius: 4px; padding: 10px 14px; margin-bottom: 18px; border: 1px solid; }
.flash.refused { background: var(--danger-bg); color: var(--danger); border-color: #f5c2bd; }
.flash.done { background: var(--ok-bg); color: var(--ok); border-color: #b7dfc3; }
.flash.info { background: var(--idle-bg); color: var(--ink); border-color: var(--line); }
table { width: 100%; border-collapse: collapse; background: var(--paper); border: 1px solid var(--line); border-radius: 6px; }
th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.empty { color: var(--muted); padding: 28px; text-align: center; background: var(--paper); border: 1px dashed var(--line); border-radius: 6px; }
.login { max-width: 440px; margin: 64px auto; }
.login input { width: 100%; font-family: var(--mono); padding: 8px 10px; border: 1px solid var(--line); border-radius: 4px; margin: 6px 0 14px; }
.verified { color: var(--ok); font-weight: 600; }
.unverified { color: var(--danger); font-weight: 600; }
details summary { cursor: pointer; color: var(--muted); }
`;
