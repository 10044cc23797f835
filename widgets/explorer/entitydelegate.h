// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace Feedscope::Ui {

// Paints an explorer row: kind icon, name, a muted detail ("nodejs:20 · 0.0.3", "→ target",
// "feed /whisk.system/alarms/alarm") and the badges as small coloured pills; the activity column
// in muted text, in the error colour when the newest run failed. Rows have one fixed height.
class EntityDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter,
               const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace Feedscope::Ui
