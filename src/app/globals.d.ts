/** Build-time constants and the test hook on window. */
declare const __OPSROOM_BUILD__: string;

interface Window {
  /** For end-to-end tests and curious learners: the game, the current run view, the language. */
  __opsroom?: {
    game: unknown;
    readonly view: unknown;
    readonly language: string;
    readonly scene: string | null;
    readonly speed: number;
    readonly lastSave: { id: string; status: string; simTime: string; at: number } | null;
    readonly ready: boolean;
    /** where the engine runs: the Web Worker, or this thread (`?engine=main`) */
    readonly engineMode: 'worker' | 'main';
  };
}
