/** Colours and type shared by the scenes (AWS console-like dark chrome). */
export const COLORS = {
  bg: 0x101820, panel: 0x1b2633, panelLine: 0x2e3f52, grid: 0x16212c, text: '#e8eef5', muted: '#9fb0c3',
  orange: 0xff9900, orangeCss: '#ff9900', green: 0x2ecc71, red: 0xe74c3c, amber: 0xf1c40f, grey: 0x7f8c8d, blue: 0x3498db,
} as const;

export const FONT = '"Nanum Gothic", NanumGothic, "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", system-ui, sans-serif';

/** The light colour of an EC2 instance state. */
export function stateColor(state: string): number {
  switch (state) {
    case 'running': return COLORS.green;
    case 'pending': return COLORS.blue;
    case 'stopping': case 'shutting-down': return COLORS.amber;
    case 'stopped': return COLORS.grey;
    case 'terminated': return COLORS.red;
    default: return COLORS.grey;
  }
}

/** States that are on their way somewhere: their light blinks (unless motion is reduced). */
export const TRANSIENT = new Set(['pending', 'stopping', 'shutting-down']);
