import { duration } from "./words.js";

/** "2026-11-02 14:03:15 UTC": every person reading the page sees the same time. */
export function clockText(iso: string): string {
  return iso.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC");
}

export function Clock(props: { iso: string }) {
  return (
    <time datetime={props.iso} title={props.iso}>
      {clockText(props.iso)}
    </time>
  );
}

/**
 * Time left until `until`, written by the server and kept running by the countdown script; when it
 * ends the script shows `done` and reloads the page once, to show what the server did.
 */
export function Countdown(props: { until: string; done: string; now?: number }) {
  const left = Date.parse(props.until) - (props.now ?? Date.now());
  return (
    <time class="clock" datetime={props.until} data-until={props.until} data-done={props.done} data-reload="">
      {left > 0 ? duration(left) : props.done}
    </time>
  );
}
