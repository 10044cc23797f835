// SPDX-License-Identifier: GPL-3.0-or-later
#include "flowgraph.h"

#include "activationrow.h"
#include "firefollower.h"

#include <algorithm>

namespace Feedscope {

namespace {

// Each generation of seen ids holds this many before the older one is dropped: far more than
// arrive between a pushed summary and its full record, and ~6 MB at most for both.
constexpr qsizetype seenGeneration = 50000;
constexpr qsizetype unplacedLimit = 4096;
constexpr quint32 deadEndFlag = 0x80000000U;

QString nodeKey(FlowNodeKind kind, const QString &name)
{
    return QChar(u'0' + int(kind)) + name;
}

quint64 edgeKey(quint32 from, quint32 to, FlowEdgeKind kind)
{
    const quint32 target = kind == FlowEdgeKind::Flow ? to : deadEndFlag | quint32(kind);
    return quint64(from) << 32 | target;
}

// "/guest/x" → "guest/x": the form localName() takes, as rule keys and activation paths are.
QString relativePath(const QString &path)
{
    return path.startsWith(u'/') ? path.mid(1) : path;
}

// The annotations ingest needs, in one pass (KeyValueList::value scans per key).
struct Annotations
{
    QString path;
    int localFire = 0;
};

Annotations scan(const ActivationRecord &record)
{
    Annotations a;
    for (const QJsonValue &pair : record.annotations.toJson()) {
        const QJsonObject o = pair.toObject();
        const QString key = o.value(QLatin1String("key")).toString();
        if (key == u"path")
            a.path = o.value(QLatin1String("value")).toString();
        else if (key == localFireAnnotation())
            a.localFire = o.value(QLatin1String("value")).toInt();
    }
    return a;
}

// Why a rule did not start its action, from the `error` of its outcome (PROTOCOL.md 2.4:
// "Rule '…' is inactive, …", the 429 text "Too many requests …", or the failed POST's error).
FlowEdgeKind outcomeDeadEnd(const QString &error)
{
    if (error.contains(QLatin1String("inactive"), Qt::CaseInsensitive))
        return FlowEdgeKind::RuleInactive;
    if (error.contains(QLatin1String("Too many requests"), Qt::CaseInsensitive)
        || error.contains(QLatin1String("429")) || error.contains(QLatin1String("throttl")))
        return FlowEdgeKind::Throttled;
    return FlowEdgeKind::NotStarted;
}

} // namespace

QString FlowNode::label() const
{
    if (kind == FlowNodeKind::Source && name.isEmpty())
        return FlowGraph::tr("direct fires");
    // Feeds by package and action ("alarms/alarm"): the namespace, usually whisk.system, only
    // makes the box wider (the full path is in the tooltip).
    if (kind == FlowNodeKind::Source && name.count(u'/') >= 3)
        return name.section(u'/', -2);
    return name;
}

QString deadEndText(FlowEdgeKind kind)
{
    switch (kind) {
    case FlowEdgeKind::Flow: return {};
    case FlowEdgeKind::NoActiveRule: return FlowGraph::tr("204 no active rule");
    case FlowEdgeKind::RuleInactive: return FlowGraph::tr("rule inactive");
    case FlowEdgeKind::Throttled: return FlowGraph::tr("429");
    case FlowEdgeKind::ActionError: return FlowGraph::tr("action error");
    case FlowEdgeKind::NotStarted: return FlowGraph::tr("action not started");
    }
    return {};
}

QString nodeKindText(FlowNodeKind kind)
{
    switch (kind) {
    case FlowNodeKind::Source: return FlowGraph::tr("source");
    case FlowNodeKind::Trigger: return FlowGraph::tr("trigger");
    case FlowNodeKind::Rule: return FlowGraph::tr("rule");
    case FlowNodeKind::Action: return FlowGraph::tr("action");
    }
    return {};
}

FlowGraph::FlowGraph(QObject *parent)
    : QObject(parent)
{
    m_publishTimer.setSingleShot(true);
    m_publishTimer.setInterval(100);
    connect(&m_publishTimer, &QTimer::timeout, this, &FlowGraph::flush);
    // The tree changes in bursts (a listing, then rule status and feed READs one by one):
    // one rebuild per burst.
    m_treeTimer.setSingleShot(true);
    m_treeTimer.setInterval(50);
    connect(&m_treeTimer, &QTimer::timeout, this, &FlowGraph::loadFromTree);
}

FlowGraph::~FlowGraph() = default;

// ---------------------------------------------------------------------------------------------
// Structure

void FlowGraph::setTree(EntityTreeModel *tree)
{
    if (m_tree)
        disconnect(m_tree, nullptr, this, nullptr);
    if (tree != m_tree) {
        // Another session (profile, endpoint): nothing seen in the old one applies, even when
        // the namespace has the same name.
        clear();
        m_ns.clear();
        schedulePublish();
    }
    m_tree = tree;
    if (!tree)
        return;
    const auto later = [this] {
        m_treeTimer.start();
    };
    connect(tree, &QAbstractItemModel::modelReset, this, later);
    connect(tree, &QAbstractItemModel::rowsInserted, this, later);
    connect(tree, &QAbstractItemModel::rowsRemoved, this, later);
    connect(tree, &QAbstractItemModel::dataChanged, this, later);
    connect(tree, &QAbstractItemModel::layoutChanged, this, later);
    loadFromTree();
}

void FlowGraph::loadFromTree()
{
    if (!m_tree)
        return;
    const QList<ExplorerEntry> triggers = m_tree->entries(EntityTreeModel::Group::Triggers);
    const QList<ExplorerEntry> rules = m_tree->entries(EntityTreeModel::Group::Rules);
    QHash<QString, bool> active;
    for (const ExplorerEntry &rule : rules) {
        const QVariant known = m_tree->indexOf(EntityTreeModel::Group::Rules, rule.name)
                                   .data(EntityTreeModel::RuleActiveRole);
        if (known.isValid())
            active.insert(rule.name, known.toBool());
    }
    QHash<QString, FeedHealth> health;
    for (const ExplorerEntry &trigger : triggers) {
        if (!trigger.feed.isEmpty())
            health.insert(trigger.name, m_tree->feedHealth(trigger.name));
    }
    setEntities(m_tree->ns(), triggers, rules, active, health);
}

void FlowGraph::setEntities(const QString &ns,
                            const QList<ExplorerEntry> &triggers,
                            const QList<ExplorerEntry> &rules,
                            const QHash<QString, bool> &ruleActive,
                            const QHash<QString, FeedHealth> &health)
{
    if (ns != m_ns && !m_ns.isEmpty())
        clear(); // another namespace: nothing of the old one applies
    m_ns = ns;

    // What the namespace implies is marked afresh; the rest is kept only if it saw events.
    QHash<quint32, FlowNode> before = m_nodes;
    for (FlowNode &n : m_nodes) {
        n.listed = false;
        n.inactive = false;
    }
    for (FlowEdge &e : m_edges)
        e.structural = false;

    QHash<quint32, int> activeRules;
    for (const ExplorerEntry &t : triggers) {
        if (t.placeholder)
            continue; // a deleted trigger shown for its tombstone: no events can reach it
        const quint32 id = ensureNode(FlowNodeKind::Trigger, t.name);
        FlowNode &node = m_nodes[id];
        node.listed = true;
        node.feed = t.feed.isEmpty() ? QString() : normalizedFeed(t.feed);
        const auto h = health.constFind(t.name);
        if (h != health.cend() && h->state != FeedHealth::State::Unknown)
            node.health = *h;
        if (node.feed.isEmpty())
            node.health = FeedHealth();
        activeRules.insert(id, 0);
        const quint32 source = sourceOf(id);
        m_nodes[source].listed = true;
        m_edges[ensureEdge(source, id, FlowEdgeKind::Flow)].structural = true;
    }
    for (const ExplorerEntry &r : rules) {
        const quint32 rule = ensureNode(FlowNodeKind::Rule, r.name);
        const quint32 trigger
            = ensureNode(FlowNodeKind::Trigger, localName(relativePath(r.ruleTrigger), ns));
        const quint32 action
            = ensureNode(FlowNodeKind::Action, localName(relativePath(r.ruleAction), ns));
        const bool active = ruleActive.value(r.name, true);
        m_nodes[rule].listed = true;
        m_nodes[rule].inactive = !active;
        m_nodes[action].listed = true;
        m_edges[ensureEdge(trigger, rule, FlowEdgeKind::Flow)].structural = true;
        m_edges[ensureEdge(rule, action, FlowEdgeKind::Flow)].structural = true;
        if (!active)
            m_edges[ensureEdge(rule, 0, FlowEdgeKind::RuleInactive)].structural = true;
        else if (activeRules.contains(trigger))
            ++activeRules[trigger];
    }
    // A trigger without an active rule answers every fire with 204 (PROTOCOL.md 1.8): the dead
    // end is drawn before the first fire hits it.
    for (auto it = activeRules.cbegin(); it != activeRules.cend(); ++it) {
        if (it.value() == 0)
            m_edges[ensureEdge(it.key(), 0, FlowEdgeKind::NoActiveRule)].structural = true;
    }
    prune();

    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        const auto old = before.constFind(it.key());
        if (old == before.cend())
            continue; // new: structureChanged covers it
        if (old->listed != it->listed || old->inactive != it->inactive || old->feed != it->feed
            || old->health.state != it->health.state || old->health.reason != it->health.reason)
            markNode(it.key());
    }
    schedulePublish();
}

void FlowGraph::clear()
{
    if (!m_nodes.isEmpty() || !m_edges.isEmpty())
        m_structureDirty = true;
    m_nodes.clear();
    m_nodeIndex.clear();
    m_edges.clear();
    m_edgeIndex.clear();
    m_outgoing.clear();
    m_seenNew.clear();
    m_seenOld.clear();
    m_unplaced.clear();
    m_expected.clear();
    m_dirtyNodes.clear();
    m_pulsedEdges.clear();
}

void FlowGraph::setFeedHealth(const QString &trigger, const FeedHealth &health)
{
    const quint32 id = findNode(FlowNodeKind::Trigger, trigger);
    if (!id)
        return;
    FlowNode &node = m_nodes[id];
    if (node.health.state == health.state && node.health.reason == health.reason)
        return;
    node.health = health;
    markNode(id);
    schedulePublish();
}

QString FlowGraph::normalizedFeed(const QString &feed) const
{
    auto name = QualifiedName::parse(feed, m_ns.isEmpty() ? QStringLiteral("_") : m_ns);
    if (!name)
        return feed;
    if (name->ns == u"_" && !m_ns.isEmpty())
        name->ns = m_ns;
    return name->toString();
}

quint32 FlowGraph::ensureNode(FlowNodeKind kind, const QString &name)
{
    const QString key = nodeKey(kind, name);
    const auto it = m_nodeIndex.constFind(key);
    if (it != m_nodeIndex.cend())
        return it.value();
    FlowNode node;
    node.id = m_nextId++;
    node.kind = kind;
    node.name = name;
    m_nodeIndex.insert(key, node.id);
    m_nodes.insert(node.id, node);
    m_structureDirty = true;
    return node.id;
}

quint32 FlowGraph::ensureEdge(quint32 from, quint32 to, FlowEdgeKind kind)
{
    const quint64 key = edgeKey(from, to, kind);
    const auto it = m_edgeIndex.constFind(key);
    if (it != m_edgeIndex.cend())
        return it.value();
    FlowEdge edge;
    edge.id = m_nextId++;
    edge.from = from;
    edge.to = kind == FlowEdgeKind::Flow ? to : 0;
    edge.kind = kind;
    m_edgeIndex.insert(key, edge.id);
    m_edges.insert(edge.id, edge);
    m_outgoing[from].append(edge.id);
    m_structureDirty = true;
    return edge.id;
}

quint32 FlowGraph::sourceOf(quint32 trigger)
{
    return ensureNode(FlowNodeKind::Source, m_nodes.value(trigger).feed);
}

void FlowGraph::prune()
{
    QSet<quint32> used;
    QList<quint32> goneEdges;
    for (const FlowEdge &e : std::as_const(m_edges)) {
        if (!e.structural && e.events == 0) {
            goneEdges.append(e.id);
            continue;
        }
        used.insert(e.from);
        if (e.to)
            used.insert(e.to);
    }
    for (quint32 id : std::as_const(goneEdges))
        removeEdge(id);
    QList<quint32> goneNodes;
    for (const FlowNode &n : std::as_const(m_nodes)) {
        if (!n.listed && n.events == 0 && !used.contains(n.id))
            goneNodes.append(n.id);
    }
    for (quint32 id : std::as_const(goneNodes))
        removeNode(id);
}

void FlowGraph::removeNode(quint32 id)
{
    const auto it = m_nodes.find(id);
    if (it == m_nodes.end())
        return;
    m_nodeIndex.remove(nodeKey(it->kind, it->name));
    m_nodes.erase(it);
    m_outgoing.remove(id);
    m_dirtyNodes.remove(id);
    m_structureDirty = true;
}

void FlowGraph::removeEdge(quint32 id)
{
    const auto it = m_edges.find(id);
    if (it == m_edges.end())
        return;
    m_edgeIndex.remove(edgeKey(it->from, it->to, it->kind));
    const auto out = m_outgoing.find(it->from);
    if (out != m_outgoing.end())
        out->removeOne(id);
    m_edges.erase(it);
    m_pulsedEdges.remove(id);
    m_structureDirty = true;
}

void FlowGraph::resetCounters()
{
    for (FlowNode &n : m_nodes) {
        n.events = n.errors = 0;
        n.lastEventMs = 0;
        m_dirtyNodes.insert(n.id);
    }
    for (FlowEdge &e : m_edges) {
        e.events = 0;
        e.lastEventMs = 0;
    }
    m_unplaced.clear();
    m_expected.clear();
    prune();
    schedulePublish();
}

// ---------------------------------------------------------------------------------------------
// Events

int FlowGraph::seen(const QString &id) const
{
    auto it = m_seenNew.constFind(id);
    if (it == m_seenNew.cend()) {
        it = m_seenOld.constFind(id);
        if (it == m_seenOld.cend())
            return 0;
    }
    return it.value() ? 2 : 1;
}

void FlowGraph::remember(const QString &id, bool full)
{
    if (m_seenNew.size() >= seenGeneration && !m_seenNew.contains(id)) {
        m_seenOld = std::move(m_seenNew);
        m_seenNew = {};
    }
    m_seenNew.insert(id, full);
}

void FlowGraph::ingest(const QList<ActivationRecord> &records)
{
    for (const ActivationRecord &record : records)
        ingestOne(record);
    schedulePublish();
}

void FlowGraph::ingestOne(const ActivationRecord &record)
{
    if (record.activationId.isEmpty())
        return;
    // Summaries carry no `response`; full records (docs=true, GET) do, and a trigger's its logs.
    const bool full = record.raw.contains(QLatin1String("response"));
    const int before = seen(record.activationId);
    if (before == 2 || (before == 1 && !full))
        return;
    const bool upgrade = before == 1;
    remember(record.activationId, full);
    if (!upgrade)
        ++m_ingested;
    const QString ns = record.ns.isEmpty() ? m_ns : record.ns;
    const Annotations a = scan(record);
    if (a.path.isEmpty())
        ingestTrigger(record, ns, a.localFire, full, upgrade);
    else if (!upgrade)
        ingestAction(record, a.path, ns);
}

void FlowGraph::ingestTrigger(
    const ActivationRecord &record, const QString &ns, int localFire, bool full, bool upgrade)
{
    const quint32 trigger = ensureNode(FlowNodeKind::Trigger, record.name);
    const qint64 when = record.start;
    if (!upgrade) {
        const bool throttled = localFire == 429;
        countNode(trigger, when, throttled);
        const quint32 source = sourceOf(trigger);
        countNode(source, when, false);
        count(ensureEdge(source, trigger, FlowEdgeKind::Flow), when);
        if (localFire == 204)
            count(ensureEdge(trigger, 0, FlowEdgeKind::NoActiveRule), when);
        else if (throttled)
            count(ensureEdge(trigger, 0, FlowEdgeKind::Throttled), when);
    }
    if (!full)
        return;
    for (const RuleOutcome &outcome : parseRuleOutcomes(record.logs)) {
        const quint32 rule = ensureNode(FlowNodeKind::Rule, localName(outcome.rule, ns));
        count(ensureEdge(trigger, rule, FlowEdgeKind::Flow), when);
        if (outcome.activationId.isEmpty()) {
            const FlowEdgeKind why = outcomeDeadEnd(outcome.error);
            countNode(rule, when, why != FlowEdgeKind::RuleInactive);
            count(ensureEdge(rule, 0, why), when);
            continue;
        }
        countNode(rule, when, false);
        const quint32 action = ensureNode(FlowNodeKind::Action, localName(outcome.action, ns));
        count(ensureEdge(rule, action, FlowEdgeKind::Flow), when);
        const auto early = m_unplaced.constFind(outcome.activationId);
        if (early != m_unplaced.cend()) {
            creditAction(action, early.value(), when);
            m_unplaced.erase(early);
        } else {
            if (m_expected.size() >= seenGeneration)
                m_expected.clear();
            m_expected.insert(outcome.activationId, action);
        }
    }
}

void FlowGraph::ingestAction(const ActivationRecord &record, const QString &path, const QString &ns)
{
    // statusCode 0 success, 1 application error, 2 developer error (timeouts too), 3 system
    // error (PROTOCOL.md 2.1); -1 unknown is not counted as a failure.
    const bool failed = record.statusCode > 0;
    // The rule outcome that started it names its node, whatever path the record carries (an
    // action reached through a binding runs under its package's path).
    quint32 action = m_expected.take(record.activationId);
    if (!m_nodes.contains(action))
        action = findNode(FlowNodeKind::Action, localName(path, ns));
    if (!action) {
        // Not part of the flow, or its trigger record (which names it) is still to come.
        if (m_unplaced.size() >= unplacedLimit)
            m_unplaced.clear();
        m_unplaced.insert(record.activationId, failed);
        return;
    }
    creditAction(action, failed, record.start);
}

void FlowGraph::creditAction(quint32 action, bool failed, qint64 when)
{
    countNode(action, when, failed);
    if (failed)
        count(ensureEdge(action, 0, FlowEdgeKind::ActionError), when);
}

void FlowGraph::countNode(quint32 node, qint64 when, bool failed)
{
    FlowNode &n = m_nodes[node];
    ++n.events;
    if (failed)
        ++n.errors;
    n.lastEventMs = qMax(n.lastEventMs, when);
    m_dirtyNodes.insert(node);
}

void FlowGraph::count(quint32 edge, qint64 when)
{
    FlowEdge &e = m_edges[edge];
    ++e.events;
    e.lastEventMs = qMax(e.lastEventMs, when);
    m_pulsedEdges.insert(edge);
    m_dirtyNodes.insert(e.from);
}

void FlowGraph::markNode(quint32 id)
{
    m_dirtyNodes.insert(id);
}

void FlowGraph::schedulePublish()
{
    if ((m_structureDirty || !m_dirtyNodes.isEmpty() || !m_pulsedEdges.isEmpty())
        && !m_publishTimer.isActive())
        m_publishTimer.start();
}

void FlowGraph::flush()
{
    m_publishTimer.stop();
    if (m_structureDirty) {
        m_structureDirty = false;
        Q_EMIT structureChanged();
    }
    if (!m_dirtyNodes.isEmpty()) {
        QList<quint32> nodes(m_dirtyNodes.cbegin(), m_dirtyNodes.cend());
        m_dirtyNodes.clear();
        Q_EMIT countersChanged(nodes);
    }
    if (!m_pulsedEdges.isEmpty()) {
        QList<quint32> edges(m_pulsedEdges.cbegin(), m_pulsedEdges.cend());
        m_pulsedEdges.clear();
        Q_EMIT edgesPulsed(edges);
    }
}

// ---------------------------------------------------------------------------------------------
// Queries

QList<quint32> FlowGraph::nodeIds() const
{
    QList<quint32> ids = m_nodes.keys();
    std::sort(ids.begin(), ids.end());
    return ids;
}

QList<quint32> FlowGraph::nodeIds(FlowNodeKind kind) const
{
    QList<const FlowNode *> nodes;
    for (const FlowNode &n : m_nodes) {
        if (n.kind == kind)
            nodes.append(&n);
    }
    std::sort(nodes.begin(), nodes.end(), [](const FlowNode *a, const FlowNode *b) {
        return a->name < b->name;
    });
    QList<quint32> ids;
    ids.reserve(nodes.size());
    for (const FlowNode *n : std::as_const(nodes))
        ids.append(n->id);
    return ids;
}

const FlowNode *FlowGraph::node(quint32 id) const
{
    const auto it = m_nodes.constFind(id);
    return it == m_nodes.cend() ? nullptr : &it.value();
}

quint32 FlowGraph::findNode(FlowNodeKind kind, const QString &name) const
{
    return m_nodeIndex.value(nodeKey(kind, name), 0);
}

QList<quint32> FlowGraph::edgeIds() const
{
    QList<quint32> ids = m_edges.keys();
    std::sort(ids.begin(), ids.end());
    return ids;
}

const FlowEdge *FlowGraph::edge(quint32 id) const
{
    const auto it = m_edges.constFind(id);
    return it == m_edges.cend() ? nullptr : &it.value();
}

quint32 FlowGraph::findEdge(quint32 from, quint32 to) const
{
    return m_edgeIndex.value(edgeKey(from, to, FlowEdgeKind::Flow), 0);
}

quint32 FlowGraph::findDeadEnd(quint32 from, FlowEdgeKind kind) const
{
    return m_edgeIndex.value(edgeKey(from, 0, kind), 0);
}

QList<quint32> FlowGraph::edgesFrom(quint32 node) const
{
    return m_outgoing.value(node);
}

int FlowGraph::nodeCount(FlowNodeKind kind) const
{
    return int(std::count_if(
        m_nodes.cbegin(), m_nodes.cend(), [kind](const FlowNode &n) { return n.kind == kind; }));
}

} // namespace Feedscope
