// Vite builds the UI into dist/ with flat file names (assetsDir ""): `cordon serve` answers
// every file as one path segment under /ui/ (server/static.c).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/ui/',
  build: {
    outDir: 'dist',
    assetsDir: '',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
  },
  // `npm run dev` against a `cordon serve` on the default port.
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
