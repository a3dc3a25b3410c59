/**
 * Slack's documented Block Kit limits (docs.slack.dev Block Kit reference, summarised with
 * sources in shared/docs/research/slack-bolt-facts.md §3). Exported so tests and builders can
 * name a limit instead of repeating a magic number.
 */
export const LIMITS = {
  modalTitle: 24,
  modalButton: 24,
  blocksPerView: 100,
  blocksPerMessage: 50,
  privateMetadata: 3000,
  identifier: 255,
  sectionTextMin: 1,
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  headerText: 150,
  inputLabel: 2000,
  inputHint: 2000,
  actionsElements: 25,
  contextElements: 10,
  imageAltText: 2000,
  imageTitle: 2000,
  url: 3000,
  buttonText: 75,
  buttonValue: 2000,
  placeholder: 150,
  textInputLengthMin: 1,
  textInputLength: 3000,
  optionText: 75,
  optionDescription: 75,
  /** Slack's option-object page says 150. */
  optionValue: 150,
  /** @slack/types' JSDoc says 75; longer values are accepted but reported as a warning. */
  optionValueSafe: 75,
  optionsPerList: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  checkboxOptions: 10,
  radioOptions: 10,
  overflowOptionsMin: 2,
  overflowOptions: 5,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;
