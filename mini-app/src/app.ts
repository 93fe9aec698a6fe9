import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'zmp-ui/zaui.css';
import './css/app.css';
import appConfig from '../app-config.json';
import HoctapApp from './components/app.tsx';

// window.APP_CONFIG is declared by zmp-ui; services/api.ts reads template.apiBase from it.
const w = window as unknown as { APP_CONFIG?: unknown };
if (!w.APP_CONFIG) w.APP_CONFIG = appConfig;

createRoot(document.getElementById('app')!).render(createElement(HoctapApp));
