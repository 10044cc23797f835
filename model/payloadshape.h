// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <array>
#include <memory>
#include <vector>

namespace Feedscope {

// The types a payload field was seen with.
enum class JsonType : quint8 { Null, Boolean, Integer, Number, String, Object, Array };
QString jsonTypeName(JsonType type);

// One type of one field: how often it was seen with it and an example (truncated to exampleLimit
// characters; objects and arrays as "{…}" / "[n items]").
struct FieldTypeShare
{
    JsonType type = JsonType::Null;
    int count = 0;
    QString example;
};

// One field of a trigger's payload shape. Paths are dotted for nested objects and use `[]` for
// array elements: "order.items[].sku"; a top-level array payload is "[]".
struct FieldShape
{
    QString path;
    QString key; // the last segment ("sku", or "[]")
    int depth = 0; // 0 for top-level fields
    int present = 0; // payloads it occurs in (at least once)
    int seen = 0;    // values seen (an array's elements each count)
    QList<FieldTypeShare> types; // most frequent first
};

// Per trigger, the JSON shape of the payloads seen (issue G): field paths, the types of each with
// counts, in how many payloads each occurs, an example per type. Fed with ActivationStream's
// batches: a trigger activation's `response.result` is its payload (PROTOCOL.md 2.4), so only
// full records count (summaries carry no response), each id once; 204 / 429 fires Feedscope sent
// itself carry theirs too. Work per payload is bounded (depth, values walked, array elements
// walked) and so is memory (fields per trigger, triggers); what a cap cut is flagged.
// sampleParameters() turns a shape into a representative parameter set for the action editor.
class PayloadShape : public QObject
{
    Q_OBJECT

public:
    static constexpr int maxDepth = 8;            // deeper values count, their insides do not
    static constexpr int maxValuesPerPayload = 2000;
    static constexpr int maxArrayElements = 20;   // elements walked per array
    static constexpr int maxFieldsPerTrigger = 400;
    static constexpr int maxTriggers = 1000;
    static constexpr int exampleLimit = 80;       // characters kept of a string example

    explicit PayloadShape(QObject *parent = nullptr);
    ~PayloadShape() override;

    void ingest(const QList<ActivationRecord> &records);
    // One payload of `trigger` (also what ingest() does per new full trigger record).
    void addPayload(const QString &trigger, const QJsonValue &payload);
    void clear();

    QStringList triggers() const; // sorted
    int payloadCount(const QString &trigger) const;
    // Fields in depth-first order (a field's children follow it), each object's keys in the order
    // first seen.
    QList<FieldShape> fields(const QString &trigger) const;
    // A cap dropped fields or left values unwalked for this trigger.
    bool isTruncated(const QString &trigger) const;
    // A parameter set shaped like the payloads: each field with its most common type's example,
    // objects filled in, arrays with one element. Empty when no object payload was seen.
    QJsonObject sampleParameters(const QString &trigger) const;

Q_SIGNALS:
    // Shapes of these triggers changed (once per ingested batch or added payload).
    void changed(const QStringList &triggers);

private:
    struct Node;
    struct Shape;
    static constexpr int typeCount = 7;

    bool add(const QString &trigger, const QJsonValue &payload);
    void walk(Shape &shape, Node &node, const QJsonValue &value, int depth, int &budget);
    Node *childOf(Shape &shape, Node &node, const QString &key);
    void collect(const Node &node, const QString &path, int depth, QList<FieldShape> &out) const;
    QJsonValue sampleOf(const Node &node) const;

    QHash<QString, std::shared_ptr<Shape>> m_shapes;
    QSet<QString> m_seenIds;
    std::vector<QString> m_seenOrder; // ring: the last recentIds ids
    size_t m_seenNext = 0;
};

} // namespace Feedscope
