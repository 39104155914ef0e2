/**
 * The UI shell: the Phaser game (title, console, debrief scenes), the DOM top bar and the
 * layout mode. The app drives it through the port and the bus; nothing here knows the engine.
 */
import * as Phaser from 'phaser';
import { Topbar } from './dom/topbar.ts';
import type { UiBus, UiPort } from './ports.ts';
import { ConsoleScene } from './scenes/console.scene.ts';
import type { SceneContext } from './scenes/context.ts';
import { DebriefScene } from './scenes/debrief.scene.ts';
import { TitleScene } from './scenes/title.scene.ts';
import { COLORS } from './scenes/theme.ts';

export type SceneName = 'title' | 'console' | 'debrief';

export interface Ui {
  game: Phaser.Game;
  current(): SceneName | null;
}

/** Boots Phaser in `#game` and resolves once it is ready; `show` events switch scenes. */
export function createUi(port: UiPort, bus: UiBus, root: Document = document): Promise<Ui> {
  const app = root.getElementById('app')!;
  const topbar = new Topbar(root.getElementById('topbar')!, port, () => port.backToTitle());
  const ctx: SceneContext = { port, bus, topbar, panels: root.getElementById('panels')!, overlays: root.getElementById('overlays')! };
  const gameEl = root.getElementById('game')!;
  const game = new Phaser.Game({
    type: Phaser.AUTO,
    parent: gameEl,
    backgroundColor: COLORS.bg,
    scale: { mode: Phaser.Scale.RESIZE, width: '100%', height: '100%' },
    banner: false,
    audio: { noAudio: true },
  });
  let current: SceneName | null = null;
  const show = (scene: SceneName) => {
    for (const s of ['title', 'console', 'debrief'] as const) if (s !== scene && game.scene.isActive(s)) game.scene.stop(s);
    app.className = `mode-${scene}`;
    current = scene;
    game.scale.refresh();
    if (game.scene.isActive(scene)) game.scene.stop(scene);
    game.scene.start(scene);
  };
  bus.on('show', ({ scene }) => show(scene));
  bus.on('language-changed', () => topbar.applyLanguage());
  bus.on('save-problem', ({ problem }) => topbar.setSaveProblem(problem));
  new ResizeObserver(() => game.scale.refresh()).observe(gameEl);
  return new Promise((resolve) => {
    game.events.once(Phaser.Core.Events.READY, () => {
      // Added after boot, none started: the app decides which screen comes first.
      game.scene.add('title', new TitleScene(ctx), false);
      game.scene.add('console', new ConsoleScene(ctx), false);
      game.scene.add('debrief', new DebriefScene(ctx), false);
      resolve({ game, current: () => current });
    });
  });
}
