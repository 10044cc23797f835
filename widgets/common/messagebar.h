// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "theme.h"

#include <QLabel>

namespace Feedscope::Ui {

// An inline message where it belongs (STYLE.md 16, 26): under a field or at the top of an
// editor; hidden while empty. Selectable, so an error can be copied.
class MessageBar : public QLabel
{
    Q_OBJECT

public:
    explicit MessageBar(QWidget *parent = nullptr);

    void showError(const QString &text) { show(Theme::Role::Error, text); }
    void showWarning(const QString &text) { show(Theme::Role::Warning, text); }
    void showInfo(const QString &text) { show(Theme::Role::Success, text); }
    void show(Theme::Role role, const QString &text);
    void clearMessage();
    Theme::Role role() const { return m_role; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    Theme::Role m_role = Theme::Role::Success;
};

} // namespace Feedscope::Ui
