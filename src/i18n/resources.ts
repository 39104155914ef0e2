/**
 * Every learner-visible string, in Korean and English, as i18next resources. One JSON file per
 * namespace and language: `ui` (console and scenes), `scenario` (scenario checker and runtime
 * messages), `content` (shared learning text). A test keeps the ko and en key sets equal.
 */
import enContent from './locales/en/content.json' with { type: 'json' };
import enScenario from './locales/en/scenario.json' with { type: 'json' };
import enUi from './locales/en/ui.json' with { type: 'json' };
import koContent from './locales/ko/content.json' with { type: 'json' };
import koScenario from './locales/ko/scenario.json' with { type: 'json' };
import koUi from './locales/ko/ui.json' with { type: 'json' };

export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const NAMESPACES = ['ui', 'scenario', 'content'] as const;

export const resources = {
  ko: { ui: koUi, scenario: koScenario, content: koContent },
  en: { ui: enUi, scenario: enScenario, content: enContent },
} as const;
