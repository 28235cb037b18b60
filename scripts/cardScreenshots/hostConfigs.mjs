// Teams-like host configs (font, spacing, and the three Teams themes' text colours). Only `default` and `subtle`
// matter for our cards: they colour no text, so what must stay legible is the theme's own text on its background.
const base = {
  fontFamily: "'Segoe UI', 'Helvetica Neue', Arial, sans-serif, 'Twemoji'",
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1 },
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  supportsInteractivity: true,
  actions: { maxActions: 6, buttonSpacing: 8, showCard: { actionMode: 'inline' }, actionsOrientation: 'horizontal', actionAlignment: 'left' },
  factSet: { title: { weight: 'bolder', wrap: true, maxWidth: 150 }, value: { wrap: true }, spacing: 8 },
};

function theme(background, text, subtle, accent, separator) {
  const colors = {
    default: { default: text, subtle },
    accent: { default: accent, subtle: accent },
    good: { default: text, subtle },
    warning: { default: text, subtle },
    attention: { default: text, subtle },
    dark: { default: text, subtle },
    light: { default: text, subtle },
  };
  return {
    ...base,
    separator: { lineThickness: 1, lineColor: separator },
    containerStyles: {
      default: { backgroundColor: background, foregroundColors: colors },
      emphasis: { backgroundColor: background, foregroundColors: colors },
    },
  };
}

export const HOST_CONFIGS = {
  light: { page: '#F5F5F5', link: '#5B5FC7', config: theme('#FFFFFF', '#242424', '#616161', '#5B5FC7', '#E0E0E0') },
  dark: { page: '#1F1F1F', link: '#7F85F5', config: theme('#292929', '#FFFFFF', '#ADADAD', '#7F85F5', '#3D3D3D') },
  contrast: { page: '#000000', link: '#FFFF00', config: theme('#000000', '#FFFFFF', '#FFFFFF', '#FFFF00', '#FFFFFF') },
};
