import { createApp, watch } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { router, updateTitle } from './router';
import { applyPrefs, dropSession, session } from './session';
import { setUnauthenticatedHandler } from './api/client';
import { registerVant } from './vant';
import './styles/theme.css';

applyPrefs();

setUnauthenticatedHandler(() => {
  dropSession();
  const current = router.currentRoute.value;
  if (!current.meta.public) {
    void router.replace({ name: 'login', query: { redirect: current.fullPath } });
  }
});

watch(
  () => session.locale,
  () => updateTitle(),
);

const app = createApp(App);
registerVant(app);
app.use(i18n);
app.use(router);
app.mount('#app');
