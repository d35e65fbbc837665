/** The papers several theorem modules cite, once. */
import type { Source } from '../src/verify/claims.ts';

/** The papers several theorem modules cite; `where` is filled in by each statement. */
const paper =
  (cite: string, title: string, url: string) =>
  (where: string): Source => ({ cite, where, title, url });

export const JACOT_2018 = paper(
  'Jacot, Gabriel & Hongler 2018',
  'Neural Tangent Kernel: Convergence and Generalization in Neural Networks',
  'https://arxiv.org/abs/1806.07572',
);
export const LEE_2019 = paper(
  'Lee et al. 2019',
  'Wide Neural Networks of Any Depth Evolve as Linear Models Under Gradient Descent',
  'https://arxiv.org/abs/1902.06720',
);
export const HUANG_YAU_2019 = paper(
  'Huang & Yau 2019',
  'Dynamics of Deep Neural Networks and Neural Tangent Hierarchy',
  'https://arxiv.org/abs/1909.08156',
);
export const DYER_GUR_ARI_2019 = paper(
  'Dyer & Gur-Ari 2019',
  'Asymptotics of Wide Networks from Feynman Diagrams',
  'https://arxiv.org/abs/1909.11304',
);
export const LEWKOWYCZ_2020 = paper(
  'Lewkowycz et al. 2020',
  'The large learning rate phase of deep learning: the catapult mechanism',
  'https://arxiv.org/abs/2003.02218',
);
export const YANG_HU_2021 = paper(
  'Yang & Hu 2021',
  'Feature Learning in Infinite-Width Neural Networks (Tensor Programs IV)',
  'https://arxiv.org/abs/2011.14522',
);
export const YANG_2022 = paper(
  'Yang et al. 2022',
  'Tensor Programs V: Tuning Large Neural Networks via Zero-Shot Hyperparameter Transfer',
  'https://arxiv.org/abs/2203.03466',
);
export const CHIZAT_OYALLON_BACH_2019 = paper(
  'Chizat, Oyallon & Bach 2019',
  'On Lazy Training in Differentiable Programming',
  'https://arxiv.org/abs/1812.07956',
);
export const MEI_MONTANARI_NGUYEN_2018 = paper(
  'Mei, Montanari & Nguyen 2018',
  'A mean field view of the landscape of two-layer neural networks',
  'https://arxiv.org/abs/1804.06561',
);
export const CHIZAT_BACH_2018 = paper(
  'Chizat & Bach 2018',
  'On the Global Convergence of Gradient Descent for Over-parameterized Models using Optimal Transport',
  'https://arxiv.org/abs/1805.09545',
);
export const BARATIN_2021 = paper(
  'Baratin et al. 2021',
  'Implicit Regularization via Neural Feature Alignment',
  'https://arxiv.org/abs/2008.00938',
);
export const HASTIE_2022 = paper(
  'Hastie, Montanari, Rosset & Tibshirani 2022',
  'Surprises in High-Dimensional Ridgeless Least Squares Interpolation',
  'https://arxiv.org/abs/1903.08560',
);
export const MEI_MONTANARI_2022 = paper(
  'Mei & Montanari 2022',
  'The Generalization Error of Random Features Regression: Precise Asymptotics and the Double Descent Curve',
  'https://arxiv.org/abs/1908.05355',
);
export const BELKIN_2019 = paper(
  'Belkin, Hsu, Ma & Mandal 2019',
  'Reconciling modern machine-learning practice and the classical bias-variance trade-off',
  'https://arxiv.org/abs/1812.11118',
);
export const DU_2019 = paper(
  'Du, Zhai, Poczos & Singh 2019',
  'Gradient Descent Provably Optimizes Over-parameterized Neural Networks',
  'https://arxiv.org/abs/1810.02054',
);
export const ARORA_COHEN_HU_LUO_2019 = paper(
  'Arora, Cohen, Hu & Luo 2019',
  'Implicit Regularization in Deep Matrix Factorization',
  'https://arxiv.org/abs/1905.13655',
);
export const RAZIN_COHEN_2020 = paper(
  'Razin & Cohen 2020',
  'Implicit Regularization in Deep Learning May Not Be Explainable by Norms',
  'https://arxiv.org/abs/2005.06398',
);
export const ROY_VETTERLI_2007 = paper(
  'Roy & Vetterli 2007',
  'The effective rank: a measure of effective dimensionality',
  'https://ieeexplore.ieee.org/document/7098875',
);
export const ZHANG_2017 = paper(
  'Zhang, Bengio, Hardt, Recht & Vinyals 2017',
  'Understanding deep learning requires rethinking generalization',
  'https://arxiv.org/abs/1611.03530',
);
export const BARTLETT_MENDELSON_2002 = paper(
  'Bartlett & Mendelson 2002',
  'Rademacher and Gaussian Complexities: Risk Bounds and Structural Results',
  'https://www.jmlr.org/papers/v3/bartlett02a.html',
);
