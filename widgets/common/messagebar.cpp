// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagebar.h"

#include <QPainter>

namespace Feedscope::Ui {

MessageBar::MessageBar(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setTextFormat(Qt::PlainText);
    setContentsMargins(8, 5, 8, 5);
    setVisible(false);
}

void MessageBar::show(Theme::Role role, const QString &text)
{
    m_role = role;
    setText(text);
    setAccessibleDescription(text);
    setVisible(!text.isEmpty());
    update();
}

void MessageBar::clearMessage()
{
    setText({});
    setVisible(false);
}

void MessageBar::paintEvent(QPaintEvent *event)
{
    // A frame in the role's colour over a faint fill of it, drawn from the current palette, so
    // it follows light and dark palettes without a style sheet (STYLE.md 25).
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor c = Theme::color(m_role, palette());
    QColor fill = c;
    fill.setAlphaF(0.14f);
    painter.setPen(c);
    painter.setBrush(fill);
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    painter.end();
    QLabel::paintEvent(event);
}

} // namespace Feedscope::Ui
