/**
 * Pure edit operations on a timeline document (docs/STUDIO-EDIT-OPS.md lists them). The Studio's state is the
 * document; every user command is one of these plus a history push. The server can apply the same ops.
 */
export type { EditMediaInfo, EditResult, MediaLookup } from './types.js';
export { collectIds, findItem, freshId } from './doc-access.js';
export { snap, snapPoints, type SnapPointsArgs, type SnapResult } from './snap.js';
export { splitAt, type SplitAtArgs, type SplitAtResult, type TransitionAdjustment } from './split-at.js';
export { trimEdge, type TrimEdgeArgs, type TrimEdgeResult, type TrimLimit } from './trim-edge.js';
export { moveItems, type MoveItemsArgs, type MoveItemsResult } from './move-items.js';
export {
  deleteItems,
  rippleDelete,
  type DeleteItemsArgs,
  type DeleteResult,
  type RippleDeleteArgs,
} from './delete-items.js';
export {
  pruneSelection,
  selectAfter,
  selectInRange,
  selectionBounds,
  selectOnly,
  toggleSelected,
  type Selection,
} from './select.js';
export { copyItems, pasteItems, type Clipboard, type ClipboardEntry, type PasteResult } from './clipboard.js';
export {
  addTransition,
  removeTransition,
  type AddTransitionArgs,
  type AddTransitionResult,
  type TransitionCatalog,
} from './transitions.js';
export {
  addCaptionTrack,
  addClip,
  addTextLayer,
  addTrack,
  removeTrack,
  type AddCaptionTrackArgs,
  type AddClipArgs,
  type AddTextLayerArgs,
  type AddTrackArgs,
} from './add-items.js';
export {
  setItemProperties,
  setTrackFlags,
  type SetItemPropertiesArgs,
  type SetTrackFlagsArgs,
} from './set-properties.js';
export { removeKeyframe, setKeyframe, type SetKeyframeArgs } from './keyframes.js';
export { addMarker, removeMarker, updateMarker } from './markers.js';
export { keyframeValueAt } from './slice-automation.js';
export {
  canRedo,
  canUndo,
  createHistory,
  DEFAULT_HISTORY_LIMIT,
  pushHistory,
  redo,
  replacePresent,
  undo,
  type History,
  type HistoryEntry,
} from './history.js';
