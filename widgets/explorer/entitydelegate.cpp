// SPDX-License-Identifier: GPL-3.0-or-later
#include "entitydelegate.h"

#include "common/theme.h"
#include "entitytreemodel.h"

#include <QApplication>
#include <QPainter>

namespace Feedscope::Ui {

void EntityDelegate::paint(QPainter *painter,
                           const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    const QPalette &palette = opt.palette;
    const auto kind = index.data(EntityTreeModel::NodeKindRole).value<EntityTreeModel::NodeKind>();

    // Background and selection as the style draws them, then our own text.
    const QString text = opt.text;
    opt.text.clear();
    opt.icon = index.column() == 0 ? Theme::nodeIcon(kind, palette) : QIcon();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const QColor textColor = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QRect r = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    painter->save();
    painter->setClipRect(opt.rect);
    const QFontMetrics fm(opt.font);

    if (index.column() == 1) {
        QColor c = selected ? textColor : Theme::color(Theme::Role::Muted, palette);
        if (!selected && index.data(EntityTreeModel::LastStatusRole).toInt() > 0)
            c = Theme::color(Theme::Role::Error, palette);
        painter->setPen(c);
        painter->drawText(
            r, Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(text, Qt::ElideRight, r.width()));
        painter->restore();
        return;
    }

    QFont nameFont = opt.font;
    if (kind == EntityTreeModel::NodeKind::Group || kind == EntityTreeModel::NodeKind::Namespace)
        nameFont.setBold(true);
    painter->setFont(nameFont);
    painter->setPen(textColor);
    const QFontMetrics nameMetrics(nameFont);
    const QString name = nameMetrics.elidedText(text, Qt::ElideMiddle, r.width());
    painter->drawText(r, Qt::AlignVCenter | Qt::AlignLeft, name);
    int x = r.left() + nameMetrics.horizontalAdvance(name) + 8;

    // Badges next to the name, so they stay visible in a narrow dock.
    QFont pillFont = opt.font;
    pillFont.setPointSizeF(qMax(6.5, pillFont.pointSizeF() * 0.82));
    const QFontMetrics pm(pillFont);
    const auto badges = EntityTreeModel::Badges(index.data(EntityTreeModel::BadgesRole).toInt());
    for (const Theme::Pill &pill : Theme::pills(badges)) {
        const int w = pm.horizontalAdvance(pill.text) + 10;
        if (x + w > r.right())
            break;
        const QRect pillRect(x, r.center().y() - pm.height() / 2 - 1, w, pm.height() + 2);
        const QColor c = Theme::color(pill.role, palette);
        QColor fill = c;
        fill.setAlphaF(0.18f);
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(c);
        painter->setBrush(fill);
        painter->drawRoundedRect(QRectF(pillRect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
        painter->setFont(pillFont);
        painter->setPen(selected ? textColor : c);
        painter->drawText(pillRect, Qt::AlignCenter, pill.text);
        x += w + 4;
    }

    const QString detail = index.data(EntityTreeModel::DetailRole).toString();
    if (!detail.isEmpty() && x < r.right() - 20) {
        painter->setFont(opt.font);
        painter->setPen(selected ? textColor : Theme::color(Theme::Role::Muted, palette));
        const QRect rest(x + 2, r.top(), r.right() - x - 2, r.height());
        painter->drawText(rest,
                          Qt::AlignVCenter | Qt::AlignLeft,
                          fm.elidedText(detail, Qt::ElideRight, rest.width()));
    }
    painter->restore();
}

QSize EntityDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(qMax(size.height(), option.fontMetrics.height() + 10));
    return size;
}

} // namespace Feedscope::Ui
