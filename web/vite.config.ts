import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2019',
    // ECharts only loads on the dashboard; keep it out of the first page's bytes.
    chunkSizeWarningLimit: 700,
  },
});
