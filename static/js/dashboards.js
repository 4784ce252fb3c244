/* Charts of the leaders' dashboards (dashboards/).
 *
 * Every chart is a <canvas data-chart="ID"> whose data sits in
 * <script type="application/json" id="ID"> (Django's json_script): no inline code, so a
 * strict Content Security Policy can forbid inline scripts. Numbers are shown the
 * Vietnamese way (4.086 ; 58,37%). Provisional figures (report not yet approved) are
 * drawn hollow and dashed, or hatched for bars.
 */
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return;
  }
  var Chart = window.Chart;

  var COLOURS = {
    // task classes (resolutions/classification.py)
    overdue: "#b02a37",
    within_deadline: "#0d6efd",
    no_deadline: "#6c757d",
    done_late: "#c35a00",
    done_on_time: "#198754",
    recurring: "#6f42c1",
    // reporting compliance (dashboards/selectors.py Compliance)
    approved: "#198754",
    submitted: "#0d6efd",
    returned: "#e0a800",
    missing_late: "#b02a37",
    missing: "#adb5bd",
    // series
    actual: "#8b1a1a",
    plan: "#6c757d",
    target: "#d63384",
    trend: "#0d6efd",
    expected: "#ced4da",
    disbursed: "#c35a00",
    late: "#b02a37",
    fine: "#198754"
  };

  // Vietnamese marks (4.086 ; 58,37) unless the page is in English (4,086 ; 58.37).
  var english = (document.documentElement.lang || "vi").slice(0, 2) === "en";
  var GROUP = english ? "," : ".";
  var DECIMAL = english ? "." : ",";

  /** 4086 → "4.086"; 58.37 → "58,37"; trailing zeros dropped unless keepZeros. */
  function formatNumber(value, decimals, keepZeros) {
    if (value === null || value === undefined || isNaN(value)) {
      return "";
    }
    var places = decimals === undefined || decimals === null ? 2 : decimals;
    var parts = Math.abs(value).toFixed(places).split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, GROUP);
    var fraction = parts[1] || "";
    if (!keepZeros) {
      fraction = fraction.replace(/0+$/, "");
    }
    var sign = value < 0 && (Number(parts[0]) !== 0 || /[1-9]/.test(fraction)) ? "-" : "";
    return sign + whole + (fraction ? DECIMAL + fraction : "");
  }

  function formatPercent(value, decimals) {
    var text = formatNumber(value, decimals === undefined ? 1 : decimals);
    return text === "" ? "" : text + "%";
  }

  function isPhone() {
    return window.matchMedia("(max-width: 576px)").matches;
  }

  function shorten(label) {
    var limit = isPhone() ? 20 : 34;
    label = String(label);
    return label.length > limit ? label.slice(0, limit - 1) + "…" : label;
  }

  /** Diagonal stripes in `colour` on white: the fill of provisional bars. */
  function hatch(colour) {
    var tile = document.createElement("canvas");
    tile.width = 8;
    tile.height = 8;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, 8, 8);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.moveTo(0, 8);
    ctx.lineTo(8, 0);
    ctx.moveTo(-2, 2);
    ctx.lineTo(2, -2);
    ctx.moveTo(6, 10);
    ctx.lineTo(10, 6);
    ctx.stroke();
    return ctx.createPattern(tile, "repeat");
  }

  Chart.defaults.locale = english ? "en-GB" : "vi-VN";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;
  // Figures appear at once: a leader glances at them, often on a slow phone.
  Chart.defaults.animation = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 14;
  Chart.defaults.plugins.legend.labels.usePointStyle = true;

  function fitRows(canvas, rows) {
    // Horizontal bar charts grow with their rows so that labels stay readable.
    var wrapper = canvas.parentElement;
    if (wrapper && wrapper.classList.contains("dash-chart-bars")) {
      wrapper.style.height = Math.max(180, rows * (isPhone() ? 30 : 28) + 80) + "px";
    }
  }

  var builders = {
    "task-classes": function (data) {
      return {
        type: "doughnut",
        data: {
          labels: data.labels,
          datasets: [
            {
              data: data.values,
              backgroundColor: data.keys.map(function (key) {
                return COLOURS[key];
              }),
              borderWidth: 1
            }
          ]
        },
        options: {
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (item) {
                  return " " + item.label + ": " + formatNumber(item.raw, 0) + " " + data.unit;
                }
              }
            }
          }
        }
      };
    },

    "stacked-bars": function (data, canvas) {
      var horizontal = !!data.horizontal;
      if (horizontal) {
        fitRows(canvas, data.labels.length);
      }
      var valueAxis = {
        stacked: true,
        beginAtZero: true,
        ticks: {
          precision: 0,
          callback: function (value) {
            return formatNumber(value, 0);
          }
        }
      };
      var labelAxis = {
        stacked: true,
        ticks: {
          autoSkip: false,
          callback: function (value) {
            return shorten(this.getLabelForValue(value));
          }
        }
      };
      return {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series) {
            return {
              label: series.label,
              data: series.values,
              backgroundColor: COLOURS[series.key],
              maxBarThickness: 28
            };
          })
        },
        options: {
          indexAxis: horizontal ? "y" : "x",
          scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
          plugins: {
            legend: { position: "bottom" },
            tooltip: {
              callbacks: {
                title: function (items) {
                  return items.length ? data.labels[items[0].dataIndex] : "";
                },
                label: function (item) {
                  return " " + item.dataset.label + ": " + formatNumber(item.raw, 0) + " " + data.unit;
                }
              }
            }
          }
        }
      };
    },

    "project-progress": function (data, canvas) {
      fitRows(canvas, data.labels.length);
      var fills = data.progress.map(function (_value, index) {
        var colour = data.late[index] ? COLOURS.late : COLOURS.fine;
        return data.provisional[index] ? hatch(colour) : colour;
      });
      return {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [
            {
              label: data.names.progress,
              data: data.progress,
              backgroundColor: fills,
              borderColor: data.progress.map(function (_value, index) {
                return data.late[index] ? COLOURS.late : COLOURS.fine;
              }),
              borderWidth: 1,
              maxBarThickness: 16
            },
            {
              label: data.names.expected,
              data: data.expected,
              backgroundColor: COLOURS.expected,
              maxBarThickness: 6
            }
          ]
        },
        options: {
          indexAxis: "y",
          scales: {
            x: {
              min: 0,
              max: 100,
              ticks: {
                callback: function (value) {
                  return formatPercent(value, 0);
                }
              }
            },
            y: {
              ticks: {
                autoSkip: false,
                callback: function (value) {
                  return shorten(this.getLabelForValue(value));
                }
              }
            }
          },
          plugins: {
            legend: { position: "bottom" },
            tooltip: {
              callbacks: {
                title: function (items) {
                  return items.length ? data.labels[items[0].dataIndex] : "";
                },
                label: function (item) {
                  var text = " " + item.dataset.label + ": " + formatPercent(item.raw, 1);
                  if (item.datasetIndex === 0 && data.provisional[item.dataIndex]) {
                    text += " (" + data.names.provisional + ")";
                  }
                  return text;
                }
              }
            }
          }
        }
      };
    },

    "project-history": function (data) {
      var provisional = data.provisional;
      return {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [
            provisionalLine(data.names.progress, data.progress, provisional, COLOURS.actual),
            {
              label: data.names.expected,
              data: data.expected,
              borderColor: COLOURS.plan,
              borderDash: [6, 4],
              pointRadius: 0,
              spanGaps: true
            },
            provisionalLine(data.names.disbursed, data.disbursed, provisional, COLOURS.disbursed)
          ]
        },
        options: {
          scales: {
            y: {
              min: 0,
              max: 100,
              ticks: {
                callback: function (value) {
                  return formatPercent(value, 0);
                }
              }
            },
            x: { ticks: { maxRotation: 60 } }
          },
          plugins: {
            legend: { position: "bottom" },
            tooltip: {
              callbacks: {
                label: function (item) {
                  var text = " " + item.dataset.label + ": " + formatPercent(item.raw, 1);
                  if (item.datasetIndex !== 1 && provisional[item.dataIndex]) {
                    text += " (" + data.names.provisional + ")";
                  }
                  return text;
                }
              }
            }
          }
        }
      };
    },

    indicator: function (data) {
      var show = function (value) {
        return data.percent ? formatPercent(value, data.decimals) : formatNumber(value, data.decimals);
      };
      var withUnit = function (value) {
        return data.percent ? show(value) : show(value) + " " + data.unit;
      };
      return {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [
            provisionalLine(data.names.actual, data.actual, data.provisional, COLOURS.actual),
            {
              label: data.names.plan,
              data: data.plan,
              borderColor: COLOURS.plan,
              backgroundColor: COLOURS.plan,
              borderDash: [6, 4],
              pointStyle: "rectRot",
              pointRadius: 4,
              spanGaps: true
            },
            {
              label: data.names.targets,
              data: data.targets,
              showLine: false,
              borderColor: COLOURS.target,
              backgroundColor: COLOURS.target,
              pointStyle: "triangle",
              pointRadius: 9,
              pointHoverRadius: 11
            },
            {
              label: data.names.trend,
              data: data.trend,
              borderColor: COLOURS.trend,
              borderDash: [2, 4],
              borderWidth: 2,
              pointRadius: 0,
              spanGaps: true
            }
          ]
        },
        options: {
          interaction: { mode: "index", intersect: false },
          scales: {
            y: {
              ticks: {
                callback: function (value) {
                  return show(value);
                }
              }
            }
          },
          plugins: {
            legend: { position: "bottom" },
            tooltip: {
              callbacks: {
                label: function (item) {
                  if (item.raw === null || item.raw === undefined) {
                    return null;
                  }
                  var text = " " + item.dataset.label + ": " + withUnit(item.raw);
                  if (item.datasetIndex === 0) {
                    var notes = [];
                    if (data.notes[item.dataIndex]) {
                      notes.push(data.notes[item.dataIndex]);
                    }
                    if (data.provisional[item.dataIndex]) {
                      notes.push(data.names.provisional);
                    }
                    if (notes.length) {
                      text += " (" + notes.join("; ") + ")";
                    }
                  }
                  return text;
                }
              }
            }
          }
        }
      };
    }
  };

  /** A line whose provisional points are hollow and whose segments into them are dashed. */
  function provisionalLine(label, values, provisional, colour) {
    return {
      label: label,
      data: values,
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2.5,
      spanGaps: true,
      pointRadius: 4,
      pointHoverRadius: 6,
      pointBorderWidth: 2,
      pointBackgroundColor: provisional.map(function (flag) {
        return flag ? "#ffffff" : colour;
      }),
      segment: {
        borderDash: function (context) {
          return provisional[context.p1DataIndex] || provisional[context.p0DataIndex] ? [6, 4] : undefined;
        }
      }
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var build = builders[data.kind];
    if (!build) {
      return;
    }
    new Chart(canvas, build(data, canvas));
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
  window.backancityFormatNumber = formatNumber;
})();
