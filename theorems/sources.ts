import type { Source } from '../src/verify/claims.ts';

/** The papers several theorem modules cite; `where` is filled in by each statement. */
const paper = (cite: string, title: string, url: string) => (where: string): Source => ({ cite, where, title, url });

export const JACOT_2018 = paper('Jacot, Gabriel & Hongler 2018', 'Neural Tangent Kernel: Convergence and Generalization in Neural Networks', 'https://arxiv.org/abs/1806.07572');
export const LEE_2019 = paper('Lee et al. 2019', 'Wide Neural Networks of Any Depth Evolve as Linear Models Under Gradient Descent', 'https://arxiv.org/abs/1902.06720');
export const HUANG_YAU_2019 = paper('Huang & Yau 2019', 'Dynamics of Deep Neural Networks and Neural Tangent Hierarchy', 'https://arxiv.org/abs/1909.08156');
export const DYER_GUR_ARI_2019 = paper('Dyer & Gur-Ari 2019', 'Asymptotics of Wide Networks from Feynman Diagrams', 'https://arxiv.org/abs/1909.11304');
export const LEWKOWYCZ_2020 = paper('Lewkowycz et al. 2020', 'The large learning rate phase of deep learning: the catapult mechanism', 'https://arxiv.org/abs/2003.02218');
