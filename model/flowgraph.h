// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "entitytreemodel.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace Feedscope {

// The four columns of the flow view: where events come from, and what they pass through.
enum class FlowNodeKind : quint8 { Source, Trigger, Rule, Action };

// An edge carries events from one node to the next (Flow), or ends them: a dead end has no
// target node and says why the event went no further.
enum class FlowEdgeKind : quint8 {
    Flow,
    NoActiveRule, // a fire answered 204: the trigger has no active rule, nothing ran
    RuleInactive, // a rule of a fired trigger was inactive (its outcome in the trigger's logs)
    Throttled,    // 429: the fire, or the rule's action invocation, was throttled
    ActionError,  // the action ran and failed (application, developer or system error, timeout)
    NotStarted,   // the rule could not start its action (missing, 4xx / 5xx other than 429)
};

// One node. Names are as the monitor table shows them: triggers and rules "x", actions "x" or
// "pkg/x" in the namespace and "/other/pkg/x" elsewhere; sources are feed actions
// ("/whisk.system/alarms/alarm") and one source with an empty name for direct fires (triggers
// without a feed: fired over HTTP by a hook, a poll action, a person).
struct FlowNode
{
    quint32 id = 0;
    FlowNodeKind kind = FlowNodeKind::Trigger;
    QString name;
    qint64 events = 0;      // activations seen passing through this node
    qint64 errors = 0;      // of those, failures: 429, a rule that could not start, a failed run
    qint64 lastEventMs = 0; // start of the newest, ms since the epoch
    bool listed = false;    // in the namespace (rules' actions: named by a listed rule)
    bool inactive = false;  // rules
    QString feed;           // triggers: the feed action, "/ns/pkg/feed"
    FeedHealth health;      // triggers with a feed

    // "direct fires" for the direct source, the name otherwise.
    QString label() const;
};

struct FlowEdge
{
    quint32 id = 0;
    quint32 from = 0;
    quint32 to = 0; // 0 for a dead end
    FlowEdgeKind kind = FlowEdgeKind::Flow;
    qint64 events = 0;
    qint64 lastEventMs = 0;
    bool structural
        = false; // implied by the namespace (a rule, a trigger's feed, an inactive rule)

    bool isDeadEnd() const { return kind != FlowEdgeKind::Flow; }
};

// "204 no active rule", "rule inactive", "429", "action error", "not started"; empty for Flow.
QString deadEndText(FlowEdgeKind kind);
QString nodeKindText(FlowNodeKind kind);

// The namespace as a graph of sources → triggers → rules → actions, with the events the monitor
// saw flowing through it (issue G's flow view; QtCore only, STYLE.md 18: the scene mirrors it by
// id and reacts to its signals).
//
// Structure comes from the namespace's entities (setTree() follows the explorer's tree, or
// setEntities()); nodes and edges that activations name but the namespace does not list are
// added as they are seen. Ids are stable while a node exists; a node or edge goes when the
// namespace no longer implies it and it has no events.
//
// ingest() counts each activation once, by id: a pushed trigger summary counts the fire, its
// full record (same id) later adds only the rule outcomes parsed from its logs
// (parseRuleOutcomes). Action activations count on their action; one that arrives before the
// trigger record naming it is credited when that record comes, if its action was unknown.
// Changes are published together every publishInterval (100 ms): one structureChanged, one
// countersChanged and one edgesPulsed per interval however many events came in.
class FlowGraph : public QObject
{
    Q_OBJECT

public:
    explicit FlowGraph(QObject *parent = nullptr);
    ~FlowGraph() override;

    // Follows the tree's triggers, rules, rule status and feed health (coalesced). Another tree
    // (a session change; nullptr when there is none) starts an empty graph.
    void setTree(EntityTreeModel *tree);
    // The namespace's entities as the tree lists them; `ruleActive` by rule name (missing:
    // active), `health` by trigger name (Unknown entries do not replace a known health).
    void setEntities(const QString &ns,
                     const QList<ExplorerEntry> &triggers,
                     const QList<ExplorerEntry> &rules,
                     const QHash<QString, bool> &ruleActive = {},
                     const QHash<QString, FeedHealth> &health = {});

    void ingest(const QList<Feedscope::ActivationRecord> &records);
    void setFeedHealth(const QString &trigger, const Feedscope::FeedHealth &health);
    // Zeroes every counter and drops what only events had added.
    void resetCounters();

    void setPublishInterval(int ms) { m_publishTimer.setInterval(ms); }
    // Publishes pending changes now.
    void flush();

    QList<quint32> nodeIds() const;
    // The nodes of one column, ordered by name (the direct source first).
    QList<quint32> nodeIds(FlowNodeKind kind) const;
    const FlowNode *node(quint32 id) const;
    quint32 findNode(FlowNodeKind kind, const QString &name) const; // 0: none
    QList<quint32> edgeIds() const;
    const FlowEdge *edge(quint32 id) const;
    quint32 findEdge(quint32 from, quint32 to) const;           // 0: none
    quint32 findDeadEnd(quint32 from, FlowEdgeKind kind) const; // 0: none
    QList<quint32> edgesFrom(quint32 node) const;
    int nodeCount(FlowNodeKind kind) const;
    // Activations counted (upgrades of a summary are not counted again).
    qint64 ingestedCount() const { return m_ingested; }
    QString ns() const { return m_ns; }

Q_SIGNALS:
    // Nodes or edges were added or removed: lay the graph out again.
    void structureChanged();
    // Counters, health or flags of these nodes (and of the edges leaving them) changed.
    void countersChanged(const QList<quint32> &nodes);
    // These edges carried events since the last publish (the view animates them).
    void edgesPulsed(const QList<quint32> &edges);

private:
    quint32 ensureNode(FlowNodeKind kind, const QString &name);
    quint32 ensureEdge(quint32 from, quint32 to, FlowEdgeKind kind);
    quint32 sourceOf(quint32 trigger);
    QString normalizedFeed(const QString &feed) const;
    void count(quint32 edge, qint64 when);
    void countNode(quint32 node, qint64 when, bool failed);
    void creditAction(quint32 action, bool failed, qint64 when);
    void ingestOne(const ActivationRecord &record);
    void ingestTrigger(
        const ActivationRecord &record, const QString &ns, int localFire, bool full, bool upgrade);
    void ingestAction(const ActivationRecord &record, const QString &path, const QString &ns);
    void prune();
    void clear();
    void removeNode(quint32 id);
    void removeEdge(quint32 id);
    void markNode(quint32 id);
    void schedulePublish();
    void loadFromTree();
    // 0: never seen; 1: seen as a summary; 2: seen in full.
    int seen(const QString &id) const;
    void remember(const QString &id, bool full);

    QPointer<EntityTreeModel> m_tree;
    QTimer m_treeTimer;
    QString m_ns;
    quint32 m_nextId = 1;
    QHash<quint32, FlowNode> m_nodes;
    QHash<QString, quint32> m_nodeIndex; // kind letter + name
    QHash<quint32, FlowEdge> m_edges;
    QHash<quint64, quint32> m_edgeIndex; // from << 32 | (to, or a dead end's kind)
    QHash<quint32, QList<quint32>> m_outgoing;

    // Ids seen, in two generations so memory stays bounded in a long session: the older one is
    // dropped when the newer fills up (a summary's full record follows within seconds).
    QHash<QString, bool> m_seenNew;
    QHash<QString, bool> m_seenOld;
    // Action activations whose action was not (yet) a node: id → failed.
    QHash<QString, bool> m_unplaced;
    // Action activations a rule outcome announced and that have not arrived: id → action node.
    QHash<QString, quint32> m_expected;
    qint64 m_ingested = 0;

    QTimer m_publishTimer;
    bool m_structureDirty = false;
    QSet<quint32> m_dirtyNodes;
    QSet<quint32> m_pulsedEdges;
};

} // namespace Feedscope
