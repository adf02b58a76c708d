import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import ProjectsView from './views/ProjectsView.vue'

/** The workflow steps in order (UI.md). */
export const steps = ['overview', 'data', 'splits', 'train', 'results', 'predict', 'reports'] as const
export type Step = (typeof steps)[number]
export type PlannedStep = Exclude<Step, 'overview'>

const builtSteps: RouteRecordRaw[] = [
  { path: 'data', name: 'data', component: () => import('./views/data/DataView.vue') },
  // Pages inside a step keep the step highlighted in the navigation (meta.step).
  {
    path: 'data/import',
    name: 'data-import',
    component: () => import('./views/data/ImportWizardView.vue'),
    meta: { step: 'data' },
  },
  {
    path: 'data/:datasetId(\\d+)',
    name: 'dataset',
    meta: { step: 'data' },
    component: () => import('./views/data/DatasetView.vue'),
    props: (route) => ({ datasetId: Number(route.params.datasetId) }),
  },
  { path: 'splits', name: 'splits', component: () => import('./views/splits/SplitsView.vue') },
  { path: 'train', name: 'train', component: () => import('./views/train/TrainView.vue') },
  { path: 'results', name: 'results', component: () => import('./views/results/ResultsView.vue') },
  { path: 'predict', name: 'predict', component: () => import('./views/predict/PredictView.vue') },
  {
    path: 'results/:experimentId(\\d+)/learned',
    name: 'learned',
    meta: { step: 'results' },
    component: () => import('./views/results/LearnedView.vue'),
    props: (route) => ({ experimentId: Number(route.params.experimentId) }),
  },
  { path: 'reports', name: 'reports', component: () => import('./views/reports/ReportsView.vue') },
]

const plannedSteps: RouteRecordRaw[] = steps
  .filter(
    (step): step is PlannedStep =>
      !['overview', 'data', 'splits', 'train', 'results', 'predict', 'reports'].includes(step),
  )
  .map((step) => ({
    path: step,
    name: step,
    component: () => import('./views/StepPlaceholder.vue'),
    props: { step },
  }))

// Hash history: works from file:// in Electron and from any path on the web bridge.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'projects', component: ProjectsView },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
    { path: '/engine', name: 'engine', component: () => import('./views/EngineView.vue') },
    {
      path: '/project/:projectId',
      component: () => import('./views/ProjectLayout.vue'),
      props: true,
      children: [
        { path: '', name: 'overview', component: () => import('./views/ProjectOverview.vue') },
        ...builtSteps,
        ...plannedSteps,
      ],
    },
    { path: '/dev/gallery', name: 'gallery', component: () => import('./views/dev/ComponentGallery.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})
