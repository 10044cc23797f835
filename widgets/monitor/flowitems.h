// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "flowgraph.h"

#include <QGraphicsObject>
#include <QPainterPath>

namespace Feedscope::Ui {

class FlowScene;

// One node of the flow view: kind icon, name, event and error counters, and on feed triggers a
// chip with the feed's health. Selectable and focusable: a click, Enter or Space activates it.
class FlowNodeItem : public QGraphicsObject
{
    Q_OBJECT

public:
    static constexpr qreal width = 200;
    static constexpr qreal height = 52;

    FlowNodeItem(FlowScene *scene, quint32 id);

    quint32 id() const { return m_id; }
    // Takes the node's current state from the graph (text, counters, health, tooltip).
    void refresh(const FlowNode &node);
    const FlowNode &node() const { return m_node; }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    FlowScene *m_scene;
    quint32 m_id;
    FlowNode m_node;
};

// One edge: a curve from node to node with its event count, or a dead end — a short stub to a
// labelled terminal ("204 no active rule · 3") in the dead end's colour. A pulse is a bright
// dot travelling along the edge, drawn in a few frames (FlowScene paces them).
class FlowEdgeItem : public QGraphicsItem
{
public:
    static constexpr qreal terminalWidth = 150;
    static constexpr qreal terminalHeight = 20;
    static constexpr qreal terminalStep = 24; // vertical distance between a node's dead ends

    FlowEdgeItem(FlowScene *scene, quint32 id);

    quint32 id() const { return m_id; }
    const FlowEdge &edge() const { return m_edge; }
    void refresh(const FlowEdge &edge);
    // Flow edges: from the right side of `from` to the left side of `to`. Dead ends: from the
    // right side of `from` to terminal number `slot` below it.
    void place(const QRectF &from, const QRectF &to, int slot);
    // The pulse's progress, 0..1, or a negative value when not pulsing.
    void setPulse(qreal phase);
    bool isPulsing() const { return m_pulse >= 0; }
    QRectF terminalRect() const { return m_terminal; }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QColor color(const QPalette &palette) const;

    FlowScene *m_scene;
    quint32 m_id;
    FlowEdge m_edge;
    QPainterPath m_path;
    QRectF m_terminal;
    QRectF m_bounds;
    qreal m_pulse = -1;
};

// The theme colour of a dead end: 204 and an inactive rule amber, 429 purple, failures red
// (the monitor table's status colours).
QColor deadEndColor(FlowEdgeKind kind, const QPalette &palette);

} // namespace Feedscope::Ui
