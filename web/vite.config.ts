import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Vant ships its icon font as a data: URL (plus a fallback on a third-party
 * CDN). The server's Content-Security-Policy (default-src 'self') rightly
 * blocks both, so the font is written out to a file and bundled as an asset
 * served from our own origin.
 */
function vantIconFontAsFile(): Plugin {
  const fontRe = /url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)\s*format\((["'])woff2\2\)(\s*,\s*url\([^)]*\)\s*format\((["'])woff\4\))?/;
  return {
    name: 'linli-vant-icon-font-as-file',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vant[\\/](es|lib)[\\/]icon[\\/]index\.css$/.test(id.split('?')[0])) return null;
      const m = code.match(fontRe);
      if (!m) return null;
      const dir = path.join(here, 'node_modules', '.linli');
      const file = path.join(dir, 'vant-icon.woff2');
      const bytes = Buffer.from(m[1], 'base64');
      if (!fs.existsSync(file) || !fs.readFileSync(file).equals(bytes)) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(file, bytes);
      }
      const rel = path.relative(path.dirname(id.split('?')[0]), file).split(path.sep).join('/');
      return { code: code.replace(fontRe, `url("${rel}") format("woff2")`), map: null };
    },
  };
}

// The C++ server serves dist/ with an SPA fallback, so every asset URL is
// absolute from "/". During `npm run dev` API calls are proxied to a local
// `linli serve` (LINLI_DEV_API, default http://127.0.0.1:8080).
export default defineConfig({
  base: '/',
  plugins: [vantIconFontAsFile(), vue()],
  define: {
    // vue-i18n feature flags: composition API only, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': process.env.LINLI_DEV_API ?? 'http://127.0.0.1:8080',
    },
  },
});
