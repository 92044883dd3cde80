/* The operations dashboard (IOC): draw the charts from the page's data (json_script
   "ioc-data") with Chart.js, and refresh the figures, tables and charts from
   GET /api/v1/indicators/dashboard every few seconds (data-refresh-seconds). Without this
   script the page still shows every figure in its tables. No inline code: CSP allows
   scripts from 'self' only. */
(function () {
  "use strict";

  var root = document.getElementById("ioc");
  var dataNode = document.getElementById("ioc-data");
  var labelNode = document.getElementById("ioc-labels");
  if (!root || !dataNode || !labelNode || typeof window.Chart === "undefined") {
    return;
  }
  var Chart = window.Chart;
  var labels = JSON.parse(labelNode.textContent);
  var lang = document.documentElement.lang || "vi";
  var integer = new Intl.NumberFormat(lang);
  var decimal = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  var oneDecimal = new Intl.NumberFormat(lang, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  /* The moment the figures were read, as the server writes every moment on every page
     (sen.core.timezones.short_moment): time before date in Vietnam time, "08:30 22/11/2026",
     in every language (English's own order would be "11/22/2026, 08:30 AM"). */
  var clockParts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Ho_Chi_Minh",
    hourCycle: "h23",
    hour: "2-digit",
    minute: "2-digit",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  });
  var clock = {
    format: function (moment) {
      var part = {};
      clockParts.formatToParts(moment).forEach(function (item) {
        part[item.type] = item.value;
      });
      return (
        part.hour + ":" + part.minute + " " + part.day + "/" + part.month + "/" + part.year
      );
    },
  };
  var RANKED_IN_CHART = 20;
  var COLORS = {
    score: "#a3154d",
    missed: "#c9ced6",
    unsupported: "#f6f7f9",
    edge: "#4a5360",
    max: "#1b1f24",
    online: "#a3154d",
    desk: "#1f5f8b",
    post: "#6b7480",
    overdue: "#b3261e",
    inTime: "#6b7480",
  };

  function percent(rate) {
    return rate === null ? "—" : oneDecimal.format(rate * 100) + " %";
  }

  function points(score) {
    return score === null ? labels.no_data : decimal.format(score);
  }

  function fontSize() {
    var width = window.innerWidth;
    if (width >= 1600) {
      return 20;
    }
    return width >= 1000 ? 15 : 13;
  }

  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = fontSize();
  Chart.defaults.color = "#1b1f24";
  Chart.defaults.borderColor = "#d5d9df";
  Chart.defaults.maintainAspectRatio = false;
  // A wall screen shows figures, not motion: a refresh changes the bars in place.
  Chart.defaults.animation = false;

  // --- Tables ------------------------------------------------------------------------------

  function cell(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) {
      node.className = className;
    }
    if (tag === "th") {
      node.scope = "row";
    }
    return node;
  }

  function named(name, code) {
    var head = cell("th", name);
    head.appendChild(cell("span", code, "table__note"));
    return head;
  }

  function fill(key, rows, build) {
    var body = root.querySelector('[data-table="' + key + '"]');
    if (!body) {
      return;
    }
    var built = rows.map(build);
    body.replaceChildren.apply(body, built);
    return body;
  }

  function fillTables(data) {
    fill("groups", data.groups, function (group) {
      var row = document.createElement("tr");
      row.append(
        cell("th", group.name),
        cell("td", points(group.score), "num"),
        cell("td", decimal.format(group.max_score), "num"),
        cell("td", decimal.format(group.max_points), "num")
      );
      return row;
    });
    fill("trend", data.trend, function (point) {
      var row = document.createElement("tr");
      row.append(
        cell("th", point.label),
        cell("td", points(point.index), "num"),
        cell("td", decimal.format(point.max_score), "num"),
        cell("td", integer.format(point.received), "num"),
        cell("td", integer.format(point.resolved), "num"),
        cell("td", percent(point.on_time_rate), "num")
      );
      return row;
    });
    ["agencies", "communes"].forEach(function (key) {
      fill(key, data[key], function (line, position) {
        var row = document.createElement("tr");
        row.append(
          cell("td", integer.format(position + 1), "num"),
          named(line.name, line.code),
          cell("td", points(line.index), "num"),
          cell("td", decimal.format(line.max_score), "num"),
          cell("td", integer.format(line.received), "num"),
          cell("td", integer.format(line.resolved), "num"),
          cell("td", percent(line.on_time_rate), "num"),
          cell("td", integer.format(line.overdue_now), "num")
        );
        return row;
      });
    });
    var overdueBody = root.querySelector('[data-table="overdue"]');
    if (overdueBody && data.overdue.length === 0) {
      var empty = document.createElement("tr");
      var only = cell("td", labels.no_open);
      only.colSpan = 3;
      empty.appendChild(only);
      overdueBody.replaceChildren(empty);
    } else if (overdueBody) {
      var link = overdueBody.getAttribute("data-link");
      fill("overdue", data.overdue, function (line) {
        var row = document.createElement("tr");
        var count = cell("td", "", "num");
        if (line.overdue > 0) {
          var anchor = cell("a", integer.format(line.overdue));
          anchor.href = link + "?unit=" + encodeURIComponent(line.agency_code);
          count.appendChild(anchor);
        } else {
          count.textContent = "0";
        }
        row.append(
          named(line.agency_name, line.agency_code),
          cell("td", integer.format(line.in_progress), "num"),
          count
        );
        return row;
      });
    }
  }

  function fillFigures(data) {
    var values = Object.assign({}, data.figures, {
      index: data.index,
      max_score: data.max_score,
      generated_at: data.generated_at,
    });
    root.querySelectorAll("[data-figure]").forEach(function (node) {
      var name = node.getAttribute("data-figure");
      var value = values[name];
      if (name === "generated_at") {
        node.setAttribute("datetime", value);
        node.textContent = clock.format(new Date(value));
      } else if (name === "index") {
        node.textContent = points(value);
      } else if (name === "max_score") {
        node.textContent = decimal.format(value);
      } else if (name === "on_time_rate") {
        node.textContent = percent(value);
      } else if (typeof value === "number") {
        node.textContent = integer.format(value);
      }
    });
  }

  // --- Charts ------------------------------------------------------------------------------

  var charts = {};

  /* Names of units are long ("Ủy ban nhân dân phường Nam Định"): the charts abbreviate
     them as officials write them (UBND) and wrap them on two lines, cut on a phone; the
     tables beneath have them in full. */
  function shortName(name) {
    var room = window.innerWidth < 600 ? 18 : 36;
    var words = name.replace(/^Ủy ban nhân dân /, "UBND ").split(" ");
    var lines = [""];
    words.forEach(function (word) {
      var last = lines.length - 1;
      if (lines[last] && (lines[last] + " " + word).length > room) {
        lines.push(word);
      } else {
        lines[last] = lines[last] ? lines[last] + " " + word : word;
      }
    });
    if (lines.length > 2) {
      lines = [lines[0], lines.slice(1).join(" ")];
    }
    return lines.map(function (line) {
      return line.length > room ? line.slice(0, room - 1) + "…" : line;
    });
  }

  function horizontal(stacked) {
    return {
      indexAxis: "y",
      scales: {
        x: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } },
        y: {
          stacked: stacked,
          ticks: {
            autoSkip: false,
            callback: function (value) {
              return shortName(this.getLabelForValue(value));
            },
          },
        },
      },
      plugins: { legend: { position: "bottom" } },
    };
  }

  function groupsData(data) {
    return {
      labels: data.groups.map(function (group) {
        return group.name;
      }),
      datasets: [
        {
          label: labels.score,
          data: data.groups.map(function (group) {
            return group.score || 0;
          }),
          backgroundColor: COLORS.score,
        },
        {
          label: labels.missed,
          data: data.groups.map(function (group) {
            return group.max_score - (group.score || 0);
          }),
          backgroundColor: COLORS.missed,
        },
        {
          label: labels.unsupported,
          data: data.groups.map(function (group) {
            return group.max_points - group.max_score;
          }),
          backgroundColor: COLORS.unsupported,
          borderColor: COLORS.edge,
          borderWidth: 1,
        },
      ],
    };
  }

  function channelsData(data) {
    var figures = data.figures;
    return {
      labels: [labels.online, labels.desk, labels.post],
      datasets: [
        {
          data: [figures.received_online, figures.received_desk, figures.received_post],
          backgroundColor: [COLORS.online, COLORS.desk, COLORS.post],
          borderColor: "#ffffff",
        },
      ],
    };
  }

  function trendData(data) {
    return {
      labels: data.trend.map(function (point) {
        return point.label;
      }),
      datasets: [
        {
          label: labels.index,
          data: data.trend.map(function (point) {
            return point.index;
          }),
          borderColor: COLORS.score,
          backgroundColor: COLORS.score,
          borderWidth: 3,
          pointRadius: 4,
        },
        {
          label: labels.max_score,
          data: data.trend.map(function (point) {
            return point.max_score || null;
          }),
          borderColor: COLORS.max,
          backgroundColor: COLORS.max,
          borderDash: [6, 4],
          borderWidth: 2,
          pointRadius: 3,
        },
      ],
    };
  }

  function rankingData(lines) {
    var shown = lines.slice(0, RANKED_IN_CHART);
    return {
      labels: shown.map(function (line) {
        return line.name;
      }),
      datasets: [
        {
          label: labels.index,
          data: shown.map(function (line) {
            return line.index;
          }),
          backgroundColor: COLORS.score,
        },
      ],
    };
  }

  function overdueData(data) {
    return {
      labels: data.overdue.map(function (line) {
        return line.agency_name;
      }),
      datasets: [
        {
          label: labels.overdue,
          data: data.overdue.map(function (line) {
            return line.overdue;
          }),
          backgroundColor: COLORS.overdue,
        },
        {
          label: labels.in_time,
          data: data.overdue.map(function (line) {
            return line.in_progress - line.overdue;
          }),
          backgroundColor: COLORS.inTime,
        },
      ],
    };
  }

  /* A bar chart with one row per unit grows with its rows, so that names stay readable. */
  function sizeForRows(key, rows) {
    var box = root.querySelector('[data-rows-of="' + key + '"]');
    if (box) {
      var rem = fontSize() >= 20 ? 3.2 : 2.6;
      box.style.height = Math.max(8, 4 + Math.min(rows, RANKED_IN_CHART) * rem) + "rem";
    }
  }

  function noteTopOnly(key, count) {
    var box = root.querySelector('[data-rows-of="' + key + '"]');
    var caption = box && box.parentNode.querySelector("figcaption");
    if (!caption) {
      return;
    }
    var note = caption.querySelector(".table__note");
    if (count > RANKED_IN_CHART && !note) {
      caption.appendChild(
        cell("span", labels.top_only.replace("%(count)s", RANKED_IN_CHART), "table__note")
      );
    } else if (count <= RANKED_IN_CHART && note) {
      note.remove();
    }
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) {
      return;
    }
    if (charts[id]) {
      charts[id].data = config.data;
      charts[id].update();
    } else {
      charts[id] = new Chart(canvas, config);
    }
  }

  function drawCharts(data) {
    draw("ioc-chart-groups", {
      type: "bar",
      data: groupsData(data),
      options: horizontal(true),
    });
    draw("ioc-chart-channels", {
      type: "doughnut",
      data: channelsData(data),
      options: { plugins: { legend: { position: "right" } } },
    });
    draw("ioc-chart-trend", {
      type: "line",
      data: trendData(data),
      options: {
        scales: { y: { beginAtZero: true, suggestedMax: 100 } },
        // Each series as a short stretch of its own line, so the dashed maximum reads as
        // dashed (a filled box drew its dashes as a smudge).
        plugins: {
          legend: {
            position: "bottom",
            labels: { usePointStyle: true, pointStyle: "line", pointStyleWidth: 28 },
          },
        },
      },
    });
    ["agencies", "communes"].forEach(function (key) {
      sizeForRows(key, data[key].length);
      noteTopOnly(key, data[key].length);
      draw("ioc-chart-" + key, {
        type: "bar",
        data: rankingData(data[key]),
        options: Object.assign(horizontal(false), { plugins: { legend: { display: false } } }),
      });
    });
    sizeForRows("overdue", data.overdue.length);
    draw("ioc-chart-overdue", {
      type: "bar",
      data: overdueData(data),
      options: horizontal(true),
    });
  }

  // --- Refresh -----------------------------------------------------------------------------

  var current = JSON.parse(dataNode.textContent);
  var status = root.querySelector("[data-refresh-status]");
  var every = parseFloat(root.getAttribute("data-refresh-seconds")) || 30;
  var api = root.getAttribute("data-api");

  function show(data) {
    current = data;
    fillFigures(data);
    fillTables(data);
    drawCharts(data);
  }

  // One request at a time, so that a slow answer never lands after, and over, a newer one.
  // One unanswered after a refresh period (10 s at least) is given up: a lost connection
  // must not stop the board.
  var pending = false;

  function refresh() {
    if (document.hidden || pending) {
      return;
    }
    var request = new AbortController();
    var giveUp = window.setTimeout(function () {
      request.abort();
    }, Math.max(every, 10) * 1000);
    pending = true;
    var query = new URLSearchParams({ unit: current.unit.code, period: current.period.key });
    fetch(api + "?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: request.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        status.textContent = "";
        show(data);
      })
      .catch(function () {
        status.textContent = labels.refresh_failed;
      })
      .finally(function () {
        window.clearTimeout(giveUp);
        pending = false;
      });
  }

  root.classList.add("ioc--charts");
  root.querySelectorAll("details.ioc__data").forEach(function (details) {
    details.open = false;
  });
  root.querySelectorAll(".ioc__live").forEach(function (node) {
    node.hidden = false;
  });
  drawCharts(current);
  window.setInterval(refresh, every * 1000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      refresh();
    }
  });
  window.addEventListener("resize", function () {
    var size = fontSize();
    if (size !== Chart.defaults.font.size) {
      Chart.defaults.font.size = size;
      drawCharts(current);
    }
  });
})();
