import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// MapLibre's own rules first, ours after them: the map's code loads later (map/MapView.tsx), and
// its rules must not come after ours
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
