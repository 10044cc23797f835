// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entitytreemodel.h"

#include <QColor>
#include <QFont>
#include <QIcon>
#include <QPalette>

class QWidget;

namespace Feedscope::Ui {

// Colours, icons and fonts by meaning (STYLE.md 25), derived from the widget's palette so that
// light and dark palettes both work. Panels ask for "error", never for "red". Icons are drawn
// here (no icon theme is assumed to exist), so they follow the palette too.
class Theme
{
public:
    enum class Role { Success, Error, Warning, Muted, Pulse, Accent, Feed, Paused };

    static QColor color(Role role, const QPalette &palette);
    static QColor color(Role role, const QWidget *widget);
    static bool isDark(const QPalette &palette);
    // Distinct colours for the n-th series of a chart (the timeline's triggers), cycling; they
    // avoid the status hues (success green, error red, warning amber, 429 purple).
    static QColor seriesColor(int index, const QPalette &palette);

    // A monospace font for code, JSON and the HTTP log.
    static QFont monospace();

    // One icon per kind of explorer node.
    static QIcon nodeIcon(EntityTreeModel::NodeKind kind, const QPalette &palette);
    // The application's icon.
    static QIcon appIcon();

    // A small rounded "pill" for a badge: its text and colour.
    struct Pill
    {
        QString text;
        Role role;
    };
    static QList<Pill> pills(EntityTreeModel::Badges badges);
};

} // namespace Feedscope::Ui
