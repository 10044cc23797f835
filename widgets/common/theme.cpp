// SPDX-License-Identifier: GPL-3.0-or-later
#include "theme.h"

#include <QFontDatabase>
#include <QPainter>
#include <QPainterPath>
#include <QWidget>

namespace Feedscope::Ui {

namespace {

// Hues that read on both a light and a dark background when their lightness follows the
// palette's.
QColor tone(int hue, int saturation, bool dark)
{
    return QColor::fromHsl(hue, saturation, dark ? 165 : 95);
}

} // namespace

bool Theme::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor Theme::color(Role role, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (role) {
    case Role::Success: return tone(130, 150, dark);
    case Role::Error: return tone(2, 190, dark);
    case Role::Warning: return tone(36, 220, dark);
    case Role::Muted: {
        QColor c = palette.color(QPalette::Text);
        c.setAlphaF(0.6f);
        return c;
    }
    case Role::Pulse: return tone(200, 200, dark);
    case Role::Accent: return palette.color(QPalette::Highlight);
    case Role::Feed: return tone(265, 120, dark);
    case Role::Paused: return tone(210, 40, dark);
    }
    return palette.color(QPalette::Text);
}

QColor Theme::seriesColor(int index, const QPalette &palette)
{
    // Blue, teal, pink, olive, indigo, cyan; then the same paler.
    static constexpr int hues[] = {210, 175, 320, 75, 240, 190};
    const int n = int(std::size(hues));
    const int i = ((index % (2 * n)) + 2 * n) % (2 * n);
    return tone(hues[i % n], i < n ? 170 : 90, isDark(palette));
}

QColor Theme::color(Role role, const QWidget *widget)
{
    return color(role, widget ? widget->palette() : QPalette());
}

QFont Theme::monospace()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setStyleHint(QFont::TypeWriter);
    return font;
}

QIcon Theme::nodeIcon(EntityTreeModel::NodeKind kind, const QPalette &palette)
{
    const bool dark = isDark(palette);
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    QColor fill;
    QString letter;
    bool round = false;
    using K = EntityTreeModel::NodeKind;
    switch (kind) {
    case K::Namespace:
        fill = tone(220, 20, dark);
        letter = QStringLiteral("N");
        break;
    case K::Group:
        fill = tone(220, 10, dark);
        letter = QString();
        break;
    case K::Package:
        fill = tone(35, 160, dark);
        letter = QStringLiteral("P");
        break;
    case K::Binding:
        fill = tone(35, 160, dark);
        letter = QStringLiteral("B");
        break;
    case K::Action:
    case K::Member:
        fill = tone(210, 170, dark);
        letter = QStringLiteral("A");
        round = true;
        break;
    case K::Trigger:
        fill = tone(300, 120, dark);
        letter = QStringLiteral("T");
        round = true;
        break;
    case K::Rule:
        fill = tone(150, 120, dark);
        letter = QStringLiteral("R");
        break;
    }
    const QRectF box(3, 3, 26, 26);
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    if (kind == K::Group) {
        // A folder.
        QPainterPath folder;
        folder.moveTo(3, 8);
        folder.lineTo(13, 8);
        folder.lineTo(16, 11);
        folder.lineTo(29, 11);
        folder.lineTo(29, 27);
        folder.lineTo(3, 27);
        folder.closeSubpath();
        p.drawPath(folder);
    } else if (round) {
        p.drawEllipse(box);
    } else {
        p.drawRoundedRect(box, 6, 6);
    }
    if (!letter.isEmpty()) {
        QFont font;
        font.setBold(true);
        font.setPixelSize(17);
        p.setFont(font);
        p.setPen(dark ? QColor(20, 20, 20) : QColor(255, 255, 255));
        p.drawText(box, Qt::AlignCenter, letter);
    }
    return QIcon(pixmap);
}

QIcon Theme::appIcon()
{
    QIcon icon;
    for (const char *size : {"32", "64", "128", "256"})
        icon.addFile(QStringLiteral(":/feedscope/icons/feedscope-%1.png").arg(QLatin1String(size)));
    return icon;
}

QList<Theme::Pill> Theme::pills(EntityTreeModel::Badges badges)
{
    using M = EntityTreeModel;
    QList<Pill> list;
    if (badges & M::FeedBadge)
        list.append({QObject::tr("feed"), Role::Feed});
    if (badges & M::SequenceBadge)
        list.append({QObject::tr("sequence"), Role::Muted});
    if (badges & M::PausedBadge)
        list.append({QObject::tr("paused"), Role::Paused});
    if (badges & M::SoftPausedBadge)
        list.append({QObject::tr("soft-paused"), Role::Paused});
    if (badges & M::AutoDisabledBadge)
        list.append({QObject::tr("disabled"), Role::Error});
    if (badges & M::UnreadableBadge)
        list.append({QObject::tr("feed unreadable"), Role::Error});
    if (badges & M::InactiveBadge)
        list.append({QObject::tr("inactive"), Role::Warning});
    if (badges & M::OrphanedBadge)
        list.append({QObject::tr("orphaned"), Role::Error});
    if (badges & M::TombstoneBadge)
        list.append({QObject::tr("DELETE pending"), Role::Warning});
    return list;
}

} // namespace Feedscope::Ui
