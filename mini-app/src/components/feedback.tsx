import { useId, useMemo, type ReactNode } from 'react';
import { Modal, useSnackbar } from 'zmp-ui';

/**
 * Zalo's own feedback: a snackbar after every action (saved, sent, verified…), and a modal before
 * what cannot be undone (sending a form, recording a hamlet review, issuing a decision).
 */
export interface Notify {
  success: (text: string) => void;
  error: (text: string) => void;
  info: (text: string) => void;
}

export function useNotify(): Notify {
  const { openSnackbar } = useSnackbar();
  return useMemo(
    () => ({
      // Text only: a typed snackbar draws its icon with a font served from Zalo's CDN, and where that
      // font cannot load (the web fallback, a flaky network) the icon's name is printed instead.
      success: (text) => openSnackbar({ text: live(text), duration: 3500 }),
      error: (text) => openSnackbar({ text: live(text, 'alert'), duration: 5000 }),
      info: (text) => openSnackbar({ text: live(text), duration: 3500 }),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
}

/**
 * zmp-ui draws the snackbar outside every landmark and without a role: the text itself is the live
 * region, so a screen reader reads it and it is not stray content (axe "region").
 */
function live(text: string, role: 'status' | 'alert' = 'status'): string {
  return (<span role={role}>{text}</span>) as unknown as string; // typed string, rendered as a node
}

/** "Are you sure?" with what will happen in plain words; children show a preview (the list, the total). */
export function ConfirmDialog({
  visible,
  title,
  description,
  children,
  confirmLabel,
  cancelLabel = 'Quay lại',
  busy = false,
  danger = false,
  onConfirm,
  onCancel,
}: {
  visible: boolean;
  title: string;
  description?: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  busy?: boolean;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  // zmp-ui points the dialog's aria-labelledby at ariaId but gives its title no id: the title node
  // carries it, so the dialog is named by its question.
  const titleId = useId();
  return (
    <Modal
      visible={visible}
      title={(<span id={titleId}>{title}</span>) as unknown as string}
      {...({ ariaId: titleId } as object)} // passed on to the dialog node (not in ModalProps' types)
      {...(description ? { description } : {})}
      onClose={() => !busy && onCancel()}
      maskClosable={!busy}
      verticalActions
      unmountOnClose
      modalClassName="confirm"
      actions={[
        {
          text: busy ? 'Đang gửi…' : confirmLabel,
          highLight: !danger,
          danger,
          disabled: busy,
          onClick: onConfirm,
        },
        { text: cancelLabel, disabled: busy, onClick: onCancel },
      ]}
    >
      {children && <div className="confirm-body">{children}</div>}
    </Modal>
  );
}
