// The --vscode-* variables VS Code injects into webviews, for the themes the panel is checked
// in (values from VS Code 1.100's Light Modern, Dark Modern and Dark High Contrast themes).
const common = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  'editor-font-size': '14px',
};

export const THEMES = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common,
      foreground: '#3b3b3b', 'editor-background': '#ffffff', 'textLink-foreground': '#005fb8',
      'textLink-activeForeground': '#005fb8', focusBorder: '#005fb8', 'button-background': '#005fb8',
      'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b',
      'button-secondaryHoverBackground': '#cccccc', 'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b',
      descriptionForeground: '#3b3b3b', errorForeground: '#f85149', 'editorError-foreground': '#e51400',
      'editorWarning-foreground': '#bf8803', 'editorInfo-foreground': '#1a85ff', 'panel-border': '#e5e5e5',
      'widget-border': '#e5e5e5', 'textCodeBlock-background': '#f8f8f8',
      'diffEditor-insertedLineBackground': 'rgba(155, 185, 85, 0.2)', 'diffEditor-removedLineBackground': 'rgba(255, 0, 0, 0.2)',
      'editorLineNumber-foreground': '#6e7681', 'editor-rangeHighlightBackground': 'rgba(253, 255, 0, 0.2)',
      'testing-iconPassed': '#388a34', 'textBlockQuote-background': '#f8f8f8', 'textBlockQuote-border': '#e5e5e5',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common,
      foreground: '#cccccc', 'editor-background': '#1f1f1f', 'textLink-foreground': '#4daafc',
      'textLink-activeForeground': '#4daafc', focusBorder: '#0078d4', 'button-background': '#0078d4',
      'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc',
      'button-secondaryHoverBackground': '#3c3c3c', 'badge-background': '#616161', 'badge-foreground': '#f8f8f8',
      descriptionForeground: '#9d9d9d', errorForeground: '#f85149', 'editorError-foreground': '#f14c4c',
      'editorWarning-foreground': '#cca700', 'editorInfo-foreground': '#3794ff', 'panel-border': '#2b2b2b',
      'widget-border': '#313131', 'textCodeBlock-background': '#2b2b2b',
      'diffEditor-insertedLineBackground': 'rgba(155, 185, 85, 0.2)', 'diffEditor-removedLineBackground': 'rgba(255, 0, 0, 0.2)',
      'editorLineNumber-foreground': '#6e7681', 'editor-rangeHighlightBackground': 'rgba(255, 255, 255, 0.04)',
      'testing-iconPassed': '#73c991', 'textBlockQuote-background': '#2b2b2b', 'textBlockQuote-border': '#616161',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common,
      foreground: '#ffffff', 'editor-background': '#000000', 'textLink-foreground': '#21a6ff',
      'textLink-activeForeground': '#21a6ff', focusBorder: '#f38518', contrastBorder: '#6fc3df',
      contrastActiveBorder: '#f38518', 'button-background': '#000000', 'button-foreground': '#ffffff',
      'button-border': '#6fc3df', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
      'badge-background': '#000000', 'badge-foreground': '#ffffff', descriptionForeground: '#ffffffb3',
      errorForeground: '#f48771', 'editorError-foreground': '#f48771', 'editorWarning-foreground': '#ffd370',
      'editorInfo-foreground': '#3794ff', 'panel-border': '#6fc3df', 'textCodeBlock-background': '#000000',
      'diffEditor-insertedTextBorder': '#33ff2eff', 'diffEditor-removedTextBorder': '#ff008f',
      'editorLineNumber-foreground': '#ffffff', 'testing-iconPassed': '#73c991', 'textBlockQuote-border': '#ffffff80',
    },
  },
};

export function themeStyle(theme) {
  return `html { ${Object.entries(THEMES[theme].vars).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ')} }`;
}
