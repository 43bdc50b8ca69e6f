import {
  createTheme,
  DEFAULT_THEME,
  type CSSVariablesResolver,
  type DefaultMantineColor,
  type MantineColorsTuple,
} from '@mantine/core';

/**
 * A colour with its shades 8 and 9 darkened. Shade 8 is the theme's primary shade, so it is
 * the filled buttons' and badges' background, coloured text, and the text of the light
 * variant (badges, alerts, subtle buttons) over its own 10% tint; each value here is the
 * darkest of those at 4.6:1 or more, also over the striped and hovered rows' greys.
 */
function darkened(name: DefaultMantineColor, eight: string, nine: string): MantineColorsTuple {
  const base = DEFAULT_THEME.colors[name];
  if (!base) throw new Error(`Mantine has no colour ${name}`);
  const shades = [...base];
  shades[8] = eight;
  shades[9] = nine;
  return shades as unknown as MantineColorsTuple;
}

/**
 * The one theme of the staff screens and the payer pages, set for WCAG 2.1 AA contrast
 * (4.5:1 for text) in one place rather than per component. Mantine's own primary shade, 6,
 * gave white on indigo 4.32:1 and its light badges fell to 3.7:1; its grey help text
 * ("dimmed", gray 6) was 3.32:1.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'sm',
  colors: {
    indigo: darkened('indigo', '#3856d0', '#314cb7'),
    blue: darkened('blue', '#1663ab', '#135896'),
    red: darkened('red', '#b82828', '#a22323'),
    green: darkened('green', '#217030', '#1d632a'),
    orange: darkened('orange', '#a74009', '#933808'),
    yellow: darkened('yellow', '#905400', '#7f4a00'),
    teal: darkened('teal', '#077050', '#066346'),
    cyan: darkened('cyan', '#0a6c7c', '#095f6d'),
    grape: darkened('grape', '#9734b0', '#852e9b'),
    pink: darkened('pink', '#b62356', '#a01f4c'),
    lime: darkened('lime', '#426d0a', '#3a6009'),
  },
  components: {
    // A dialog's title bar is a <header>, which browsers take for a second banner landmark
    // beside the app's own while a drawer or dialog is open: a plain <div> says the same.
    DrawerHeader: { defaultProps: { component: 'div' } },
    ModalHeader: { defaultProps: { component: 'div' } },
    // The close button is an icon alone: its name, for every dialog and drawer.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
  },
});

/** Grey help text ("dimmed"): 6.1:1 on white and 5.5:1 on the hovered rows' gray 1, where gray 6 was 3.32:1. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#5c636a' },
  dark: {},
});
