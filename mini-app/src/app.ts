import { createElement, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import 'zmp-ui/zaui.css';
import './css/app.css';
import appConfig from '../app-config.json';
import HoctapApp from './components/app.tsx';
import { useAppStore } from './store.ts';
import { preloadKeptHomeSets } from './services/home-kept.ts';

// window.APP_CONFIG is declared by zmp-ui; services/api.ts reads template.apiBase from it.
const w = window as unknown as { APP_CONFIG?: unknown };
if (!w.APP_CONFIG) w.APP_CONFIG = appConfig;

/**
 * The built index.html preloads the stylesheet without blocking the splash (vite.config.mts) and
 * applies it when it arrives: render once it is applied, so nothing shows unstyled.
 */
function stylesheetLoaded(): Promise<void> {
  const link = document.querySelector<HTMLLinkElement>('link[data-app-css]');
  if (!link || (link.rel === 'stylesheet' && link.sheet)) return Promise.resolve();
  return new Promise((resolve) => {
    const onLoad = () => {
      if (link.rel !== 'stylesheet')
        link.rel = 'stylesheet'; // the preload arrived: apply it
      else if (link.sheet) finish();
    };
    const finish = () => {
      link.removeEventListener('load', onLoad);
      resolve();
    };
    link.addEventListener('load', onLoad);
    link.addEventListener('error', finish, { once: true }); // unstyled beats a splash forever
  });
}

// The officer console (a PC browser at /console) is its own chunk, fetched only there: a household's
// phone never downloads it. The splash stays until it has arrived.
const onConsole = /^\/console$/.test(location.pathname);
const root: Promise<ComponentType> = onConsole
  ? import('./console/index.tsx').then((m) => m.default)
  : Promise.resolve(HoctapApp);

/**
 * A warm start shows the kept home at once (services/home-kept.ts); its criteria sets come from the
 * HTTP cache while the stylesheet is checked. Not for ever: with the cache emptied and a dead link
 * the app renders after 1 s and the cards wait for their set under "Đang tải…", as on any start.
 */
function keptHomeReady(): Promise<void> {
  const userId = useAppStore.getState().session?.user.id;
  if (!userId || onConsole) return Promise.resolve();
  return Promise.race([preloadKeptHomeSets(userId), new Promise<void>((resolve) => setTimeout(resolve, 1000))]);
}

void Promise.all([stylesheetLoaded(), root, keptHomeReady()]).then(
  ([, Root]) => createRoot(document.getElementById('app')!).render(createElement(Root)),
  () => {
    document.querySelector('.boot-text')!.textContent = 'Không tải được trang. Hãy kiểm tra mạng rồi tải lại trang.';
  },
);
