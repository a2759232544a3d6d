import { render } from 'preact';
import { App } from './app';
import { Api } from './data/client';
import { ApiContext } from './data/hooks';
import './styles.css';

const api = new Api('/graphql');
const root = document.getElementById('app')!;
// A new token opens a new socket (the old one was authenticated with the old token).
render(
  <ApiContext.Provider value={api}>
    <App onToken={() => api.reconnect()} />
  </ApiContext.Provider>,
  root,
);
