// Registers only the Vant components the app uses (keeps the bundle small).
import type { App } from 'vue';
import {
  Button,
  Cell,
  CellGroup,
  Empty,
  Field,
  Form,
  Icon,
  Loading,
} from 'vant';
import 'vant/es/button/style/index';
import 'vant/es/cell/style/index';
import 'vant/es/cell-group/style/index';
import 'vant/es/empty/style/index';
import 'vant/es/field/style/index';
import 'vant/es/form/style/index';
import 'vant/es/icon/style/index';
import 'vant/es/loading/style/index';

export function registerVant(app: App): void {
  for (const c of [
    Button,
    Cell,
    CellGroup,
    Empty,
    Field,
    Form,
    Icon,
    Loading,
  ]) {
    app.use(c);
  }
}
