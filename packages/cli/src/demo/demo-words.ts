/** Words whose pronunciations the demo prints (none of them is in the training subset). */
export const DEMO_WORDS = ['seqloom', 'tensorflow', 'whale', 'pronunciation', 'hello', 'quixotic'];
