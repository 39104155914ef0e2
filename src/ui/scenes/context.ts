/** What every scene receives from the UI shell: the port, the bus and the DOM roots it may use. */
import type { UiBus, UiPort } from '../ports.ts';
import type { Topbar } from '../dom/topbar.ts';

export interface SceneContext {
  port: UiPort;
  bus: UiBus;
  topbar: Topbar;
  /** side panels next to the canvas (console) */
  panels: HTMLElement;
  /** cards above the canvas (title list, briefing, quiz, debrief) */
  overlays: HTMLElement;
}
