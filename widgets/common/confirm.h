// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMessageBox>

#include <functional>

namespace Feedscope::Ui {

// Asks before something destructive (the only modal dialog the app shows, STYLE.md 16, 26),
// without a nested event loop (STYLE.md 28): the box is window-modal and `accepted` runs once
// the user pressed `accept`; any other answer drops it. `accepted` is not called when `parent`
// is destroyed first.
void confirm(QWidget *parent,
             const QString &title,
             const QString &question,
             QMessageBox::StandardButton accept,
             std::function<void()> accepted);

} // namespace Feedscope::Ui
