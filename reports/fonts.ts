// The report's typeface: Inter, as TrueType files from the @expo-google-fonts/inter npm
// package, so charts and the PDF look the same on every machine (a fresh Debian has no fonts,
// and CI must not depend on apt for them). TrueType, not WOFF2: pdfkit's subsetter breaks on
// WOFF2 composite glyphs. We only read the .ttf files; the package's JavaScript is for Expo.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const dir = dirname(require.resolve('@expo-google-fonts/inter/package.json'));

export const FONT_FAMILY = 'Inter';

export const FONT_FILES = {
  regular: join(dir, '400Regular', 'Inter_400Regular.ttf'),
  semibold: join(dir, '600SemiBold', 'Inter_600SemiBold.ttf'),
  bold: join(dir, '700Bold', 'Inter_700Bold.ttf'),
} as const;
