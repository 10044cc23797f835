// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/theme.h"

#include <QList>
#include <QString>
#include <QWidget>

namespace Feedscope::Ui {

// What the Feed Designer designs: the three feed patterns of DESIGN.md, or a trigger on an
// existing feed action (the catalog's alarms, changes, streams, or the user's own).
enum class DesignKind { Hook, Polling, Connection, FeedAction };

QString designTitle(DesignKind kind); // "Hook feed", ...

// A small drawing of how one pattern moves an event, from its source through the trigger and
// rule to the action, with the names the user has typed so far. Painted from the palette, so
// it follows light and dark themes; its accessible description says the same in words.
class PatternDiagram : public QWidget
{
    Q_OBJECT

public:
    explicit PatternDiagram(DesignKind kind, QWidget *parent = nullptr);

    // The names shown in the boxes; empty ones show what the box stands for.
    void setNames(const QString &source, const QString &trigger, const QString &action);
    // One line per hop ("service → POST → trigger orders"), for tests and screen readers.
    QString describe() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Node
    {
        QString title;
        QString detail;
        Theme::Role role;
        int column = 0;
        int row = 0;
    };
    struct Edge
    {
        int from = 0;
        int to = 0;
        QString label;
        bool dashed = false; // control traffic (registration, polling), not the event itself
    };

    void rebuild();

    DesignKind m_kind;
    QString m_source;
    QString m_trigger;
    QString m_action;
    QList<Node> m_nodes;
    QList<Edge> m_edges;
};

} // namespace Feedscope::Ui
